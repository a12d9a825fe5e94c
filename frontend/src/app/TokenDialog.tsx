// Asks for a bearer token when the API answers 401 (or 403), keeps it in sessionStorage for this tab.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { getToken, setToken } from '../api/client';
import { closeTokenDialog, useTokenDialog } from './tokenStore';

export function TokenDialog() {
  const { open, reason } = useTokenDialog();
  const ref = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState('');
  const queryClient = useQueryClient();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setValue('');
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const token = value.trim();
    if (!token) return;
    setToken(token);
    closeTokenDialog();
    void queryClient.resetQueries();
  };

  const hadToken = Boolean(getToken());
  return (
    <dialog ref={ref} className="token-dialog" aria-labelledby="token-title" onClose={() => closeTokenDialog()} data-testid="token-dialog">
      <form onSubmit={submit} method="dialog">
        <h2 id="token-title">Access token</h2>
        <p>
          {hadToken ? 'The server did not accept the token in use.' : 'This flowmap server requires an access token.'} Paste the bearer
          token you were given (role viewer, procurement or editor). It is kept in this browser tab only (session storage) and sent
          as <code>Authorization: Bearer …</code> to <code>/graphql</code>.
        </p>
        {reason && (
          <p className="token-reason" role="note">
            Server said: {reason}
          </p>
        )}
        <label htmlFor="token-input">Token</label>
        <input
          id="token-input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          required
          minLength={1}
        />
        <div className="dialog-actions">
          <button type="submit" className="button">
            Use token
          </button>
          <button type="button" className="button button--secondary" onClick={() => closeTokenDialog()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
