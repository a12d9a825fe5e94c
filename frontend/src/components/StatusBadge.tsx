// Status is never colour alone: every badge has a text label and a distinct shape.
import type { ScenarioChange, Severity } from '../gql/graphql';
import type { ValidityVerdict } from '../lib/mechanisms';
import { CHANGE_STYLE, SEVERITY_STYLE, statusStyle, type HopStatus, type StatusShape } from '../lib/status';

export function StatusIcon({ shape, color, size = 14 }: { shape: StatusShape; color: string; size?: number }) {
  return (
    <svg className="status-icon" width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {shape === 'check' && (
        <>
          <circle cx="8" cy="8" r="7.5" fill={color} />
          <path d="M4.2 8.3l2.4 2.4 5-5.2" fill="none" stroke="#fff" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        </>
      )}
      {shape === 'triangle' && (
        <>
          <path d="M8 0.8L15.4 14.6H0.6Z" fill={color} />
          <path d="M8 5.2v4.6" stroke="#fff" strokeWidth="2" strokeLinecap="round" />
          <circle cx="8" cy="12.3" r="1.1" fill="#fff" />
        </>
      )}
      {shape === 'cross' && (
        <>
          <path d="M4.7 0.5h6.6l4.2 4.2v6.6l-4.2 4.2H4.7L0.5 11.3V4.7Z" fill={color} />
          <path d="M5.3 5.3l5.4 5.4M10.7 5.3l-5.4 5.4" stroke="#fff" strokeWidth="2" strokeLinecap="round" />
        </>
      )}
      {shape === 'circle' && <circle cx="8" cy="8" r="6.2" fill="#fff" stroke={color} strokeWidth="2.2" />}
    </svg>
  );
}

export function StatusBadge({ status, compact = false }: { status: HopStatus | null | undefined; compact?: boolean }) {
  const s = statusStyle(status);
  const key = status ?? 'NO_TRANSFER';
  return (
    <span className={`status status--${key.toLowerCase().replace('_', '-')}`} data-status={key} title={compact ? `${s.label}: ${s.description}` : s.description}>
      <StatusIcon shape={s.shape} color={s.color} />
      <span className="status-label">{s.label}</span>
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  const s = SEVERITY_STYLE[severity];
  return (
    <span className={`severity severity--${severity.toLowerCase()}`} style={{ color: s.color, background: s.bg }} data-severity={severity}>
      {s.label}
    </span>
  );
}

export function ChangeBadge({ change }: { change: ScenarioChange }) {
  const c = CHANGE_STYLE[change];
  const s = statusStyle(c.status);
  return (
    <span className={`status change change--${change.toLowerCase()}`} data-change={change}>
      <StatusIcon shape={s.shape} color={s.color} />
      <span className="status-label">{c.label}</span>
    </span>
  );
}

/** A mechanism's validity on the date: text, plus a shape for anything not plainly valid. */
export function ValidityMark({ verdict }: { verdict: ValidityVerdict | null }) {
  if (!verdict) return <span className="muted">n/a</span>;
  const status = verdict.state === 'VALID' ? 'COMPLIANT' : verdict.usable ? 'NEEDS_REVIEW' : 'NON_COMPLIANT';
  const s = statusStyle(status);
  return (
    <span className={`validity validity--${verdict.state.toLowerCase()}`} data-validity={verdict.state} title={verdict.detail}>
      <StatusIcon shape={s.shape} color={s.color} />
      <span>
        <span className="status-label" style={{ color: s.color }}>
          {verdict.label}
        </span>
        {verdict.state !== 'VALID' && <span className="validity-detail">{verdict.detail}</span>}
      </span>
    </span>
  );
}
