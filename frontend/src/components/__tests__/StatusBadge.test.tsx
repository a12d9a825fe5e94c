import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeBadge, StatusBadge, ValidityMark } from '../StatusBadge';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

describe('StatusBadge', () => {
  it('shows the status as text with a hidden decorative icon', () => {
    act(() => root.render(<StatusBadge status="NON_COMPLIANT" />));
    const badge = container.querySelector('[data-status]');
    expect(badge?.getAttribute('data-status')).toBe('NON_COMPLIANT');
    expect(badge?.textContent).toBe('Non-compliant');
    expect(badge?.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');
  });

  it('draws a different shape per status', () => {
    const shapes = (['COMPLIANT', 'NEEDS_REVIEW', 'NON_COMPLIANT', null] as const).map((s) => {
      act(() => root.render(<StatusBadge status={s} />));
      return container.querySelector('svg')?.innerHTML;
    });
    expect(new Set(shapes).size).toBe(4);
  });

  it('labels scenario changes and validity in words', () => {
    act(() => root.render(<ChangeBadge change="FALLBACK" />));
    expect(container.textContent).toBe('Saved by fallback');
    act(() => root.render(<ValidityMark verdict={{ state: 'ENDED', usable: false, label: 'Invalid since 2020-07-16', detail: 'CJEU C-311/18' }} />));
    expect(container.textContent).toContain('Invalid since 2020-07-16');
    expect(container.textContent).toContain('CJEU C-311/18');
  });
});
