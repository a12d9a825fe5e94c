// Findings: keys, subjects, which clients' transfers they sit on, filtering and sorting.
import type { Rule, Severity } from '../gql/graphql';
import { ruleLabel, severityRank } from './status';

export interface FindingLike {
  rule: Rule;
  severity: Severity;
  message: string;
  citation: string;
  remediation: string;
  subject: string;
}

export type SubjectKind = 'engagement' | 'organization' | 'document' | 'other';

export interface Subject {
  kind: SubjectKind;
  id: string;
}

/** Findings carry no id: rule, subject and message identify one. */
export function findingKey(f: Pick<FindingLike, 'rule' | 'subject' | 'message'>): string {
  return `${f.rule}|${f.subject}|${f.message}`;
}

/** 'engagement:a>b' -> { kind: 'engagement', id: 'a>b' }. */
export function parseSubject(subject: string): Subject {
  const i = subject.indexOf(':');
  if (i > 0) {
    const kind = subject.slice(0, i);
    const id = subject.slice(i + 1);
    if (kind === 'engagement' || kind === 'organization' || kind === 'document') return { kind, id };
  }
  return { kind: 'other', id: subject };
}

/** The exporter of an engagement id ('exporter>importer[:suffix]'); null when the id has no '>'. */
export function engagementExporter(engagementId: string): string | null {
  const i = engagementId.indexOf('>');
  return i > 0 ? engagementId.slice(0, i) : null;
}

export interface Party {
  id: string;
  name: string;
}

export interface TransferForFindings {
  client: Party;
  path: ReadonlyArray<{ engagement: { id: string }; exporter: Party; importer: Party }>;
  findings: ReadonlyArray<FindingLike>;
}

export interface FindingIndex {
  /** Finding key -> the clients whose transfers carry it. */
  clients: Map<string, Map<string, Party>>;
  /** Engagement id -> its exporter and importer. */
  engagements: Map<string, { exporter: Party; importer: Party }>;
}

export function indexTransfers(transfers: ReadonlyArray<TransferForFindings>): FindingIndex {
  const clients = new Map<string, Map<string, Party>>();
  const engagements = new Map<string, { exporter: Party; importer: Party }>();
  for (const t of transfers) {
    for (const hop of t.path) engagements.set(hop.engagement.id, { exporter: hop.exporter, importer: hop.importer });
    for (const f of t.findings) {
      const key = findingKey(f);
      let set = clients.get(key);
      if (!set) clients.set(key, (set = new Map()));
      set.set(t.client.id, t.client);
    }
  }
  return { clients, engagements };
}

/** The findings on one client's transfers, each once (what transfers(clientId) { findings } returns, deduplicated). */
export function findingsOfClient<F extends FindingLike>(
  transfers: ReadonlyArray<TransferForFindings & { findings: ReadonlyArray<F> }>,
  clientId: string,
): F[] {
  const seen = new Map<string, F>();
  for (const t of transfers) {
    if (t.client.id !== clientId) continue;
    for (const f of t.findings) if (!seen.has(findingKey(f))) seen.set(findingKey(f), f);
  }
  return [...seen.values()];
}

export interface FindingRow<F extends FindingLike = FindingLike> {
  key: string;
  finding: F;
  subject: Subject;
  /** The organisations concerned: [exporter, importer] for an engagement, [organisation] for an organisation. */
  parties: Party[];
  /** What the row sorts and filters on as its organisation. */
  organisationName: string;
  clients: Party[];
}

export function toRows<F extends FindingLike>(findings: ReadonlyArray<F>, index: FindingIndex, names: ReadonlyMap<string, string>): FindingRow<F>[] {
  const name = (id: string) => names.get(id) ?? id;
  return findings.map((finding) => {
    const subject = parseSubject(finding.subject);
    let parties: Party[] = [];
    if (subject.kind === 'engagement') {
      const known = index.engagements.get(subject.id);
      if (known) parties = [known.exporter, known.importer];
      else {
        const exporter = engagementExporter(subject.id);
        const importer = exporter ? subject.id.slice(exporter.length + 1).split(':')[0] ?? '' : '';
        parties = [exporter, importer].filter((x): x is string => Boolean(x)).map((id) => ({ id, name: name(id) }));
      }
    } else if (subject.kind === 'organization') {
      parties = [{ id: subject.id, name: name(subject.id) }];
    }
    const primary = parties[parties.length - 1];
    const key = findingKey(finding);
    const clients = [...(index.clients.get(key)?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    return { key, finding, subject, parties, organisationName: primary?.name ?? subject.id, clients };
  });
}

export interface FindingFilter {
  severities?: ReadonlyArray<Severity>;
  rules?: ReadonlyArray<Rule>;
  text?: string;
}

export function filterRows<R extends FindingRow>(rows: ReadonlyArray<R>, filter: FindingFilter): R[] {
  const text = filter.text?.trim().toLowerCase() ?? '';
  return rows.filter((r) => {
    if (filter.severities?.length && !filter.severities.includes(r.finding.severity)) return false;
    if (filter.rules?.length && !filter.rules.includes(r.finding.rule)) return false;
    if (text) {
      const hay = [r.finding.message, r.finding.citation, r.finding.subject, r.organisationName, ruleLabel(r.finding.rule), ...r.clients.map((c) => c.name)]
        .join(' ')
        .toLowerCase();
      if (!hay.includes(text)) return false;
    }
    return true;
  });
}

export type SortKey = 'severity' | 'rule' | 'organisation' | 'clients' | 'message';
export type SortDir = 'asc' | 'desc';

export const SORT_KEYS: readonly SortKey[] = ['severity', 'rule', 'organisation', 'clients', 'message'];

/** Stable sort; ties fall back to severity (most severe first), then the finding's key. */
export function sortRows<R extends FindingRow>(rows: ReadonlyArray<R>, key: SortKey, dir: SortDir): R[] {
  const sign = dir === 'asc' ? 1 : -1;
  const primary = (a: R, b: R): number => {
    switch (key) {
      case 'severity':
        return severityRank(a.finding.severity) - severityRank(b.finding.severity);
      case 'rule':
        return ruleLabel(a.finding.rule).localeCompare(ruleLabel(b.finding.rule));
      case 'organisation':
        return a.organisationName.localeCompare(b.organisationName);
      case 'clients':
        return a.clients.length - b.clients.length || (a.clients[0]?.name ?? '').localeCompare(b.clients[0]?.name ?? '');
      case 'message':
        return a.finding.message.localeCompare(b.finding.message);
    }
  };
  return rows
    .map((r, i) => ({ r, i }))
    .sort(
      (x, y) =>
        sign * primary(x.r, y.r) ||
        severityRank(y.r.finding.severity) - severityRank(x.r.finding.severity) ||
        x.r.key.localeCompare(y.r.key) ||
        x.i - y.i,
    )
    .map((x) => x.r);
}
