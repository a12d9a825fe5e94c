import { describe, expect, it } from 'vitest';
import { engagementExporter, filterRows, findingKey, findingsOfClient, indexTransfers, parseSubject, sortRows, toRows, type FindingLike, type TransferForFindings } from '../findings';

const f = (rule: FindingLike['rule'], severity: FindingLike['severity'], subject: string, message = `${rule} on ${subject}`): FindingLike => ({
  rule,
  severity,
  subject,
  message,
  citation: 'GDPR Art. 44',
  remediation: 'Fix it',
});

const party = (id: string, name = id.toUpperCase()) => ({ id, name });
const PS = f('INVALIDATED_MECHANISM', 'CRITICAL', 'engagement:demo.client-de>interactions', 'PRIVACY_SHIELD_EU_US is no longer valid since 2020-07-16.');
const ONWARD = f('ONWARD_TRANSFER', 'INFO', 'engagement:interactions>unnamed.hosting:service-data');
const RETENTION = f('INDEFINITE_RETENTION', 'MEDIUM', 'organization:interact-cx');
const DOC = f('OUTDATED_LEGAL_REFERENCE', 'MEDIUM', 'document:doc.interactions.privacy');

const transfers: TransferForFindings[] = [
  {
    client: party('demo.client-de', 'Demo: Rheinland'),
    path: [{ engagement: { id: 'demo.client-de>interactions' }, exporter: party('demo.client-de', 'Demo: Rheinland'), importer: party('interactions', 'Interactions') }],
    findings: [PS],
  },
  {
    client: party('demo.client-de', 'Demo: Rheinland'),
    path: [
      { engagement: { id: 'demo.client-de>interactions' }, exporter: party('demo.client-de', 'Demo: Rheinland'), importer: party('interactions', 'Interactions') },
      { engagement: { id: 'interactions>unnamed.hosting:service-data' }, exporter: party('interactions', 'Interactions'), importer: party('unnamed.hosting', 'Hosting') },
    ],
    findings: [PS, ONWARD],
  },
  {
    client: party('demo.client-be', 'Demo: Schelde'),
    path: [{ engagement: { id: 'interactions>unnamed.hosting:service-data' }, exporter: party('interactions', 'Interactions'), importer: party('unnamed.hosting', 'Hosting') }],
    findings: [ONWARD],
  },
];

describe('subjects', () => {
  it('parses the three subject kinds', () => {
    expect(parseSubject('engagement:a>b:2017')).toEqual({ kind: 'engagement', id: 'a>b:2017' });
    expect(parseSubject('organization:interact-cx')).toEqual({ kind: 'organization', id: 'interact-cx' });
    expect(parseSubject('document:doc.x')).toEqual({ kind: 'document', id: 'doc.x' });
    expect(parseSubject('something')).toEqual({ kind: 'other', id: 'something' });
    expect(parseSubject('weird:x')).toEqual({ kind: 'other', id: 'weird:x' });
  });

  it("finds an engagement's exporter", () => {
    expect(engagementExporter('demo.client-be>interactions:2017')).toBe('demo.client-be');
    expect(engagementExporter('no-arrow')).toBeNull();
  });
});

describe('client filter', () => {
  it("returns the findings on one client's transfers, each once", () => {
    const de = findingsOfClient(transfers, 'demo.client-de');
    expect(de.map(findingKey)).toEqual([findingKey(PS), findingKey(ONWARD)]);
    expect(findingsOfClient(transfers, 'demo.client-be')).toEqual([ONWARD]);
    expect(findingsOfClient(transfers, 'nobody')).toEqual([]);
  });
});

describe('rows', () => {
  const names = new Map([
    ['interact-cx', 'Interact CX'],
    ['x', 'X Corp'],
  ]);
  const rows = toRows([PS, ONWARD, RETENTION, DOC, f('UNKNOWN_LOCATION', 'MEDIUM', 'engagement:x>y:z')], indexTransfers(transfers), names);

  it('names the parties of engagement findings from the transfers, and the clients they concern', () => {
    expect(rows[0]?.parties.map((p) => p.name)).toEqual(['Demo: Rheinland', 'Interactions']);
    expect(rows[0]?.organisationName).toBe('Interactions');
    expect(rows[0]?.clients.map((c) => c.id)).toEqual(['demo.client-de']);
    expect(rows[1]?.clients.map((c) => c.name)).toEqual(['Demo: Rheinland', 'Demo: Schelde']);
  });

  it('falls back to the engagement id when no transfer carries it', () => {
    expect(rows[4]?.parties).toEqual([
      { id: 'x', name: 'X Corp' },
      { id: 'y', name: 'y' },
    ]);
  });

  it('ties organisation findings to the organisation and document findings to nobody', () => {
    expect(rows[2]?.parties).toEqual([{ id: 'interact-cx', name: 'Interact CX' }]);
    expect(rows[2]?.clients).toEqual([]);
    expect(rows[3]?.parties).toEqual([]);
    expect(rows[3]?.organisationName).toBe('doc.interactions.privacy');
  });

  it('filters by severity, rule and text', () => {
    expect(filterRows(rows, { severities: ['CRITICAL'] }).map((r) => r.finding.rule)).toEqual(['INVALIDATED_MECHANISM']);
    expect(filterRows(rows, { rules: ['INDEFINITE_RETENTION', 'ONWARD_TRANSFER'] })).toHaveLength(2);
    expect(filterRows(rows, { text: 'privacy_shield' })).toHaveLength(1);
    expect(filterRows(rows, { text: 'schelde' }).map((r) => r.finding.rule)).toEqual(['ONWARD_TRANSFER']);
    expect(filterRows(rows, { severities: ['LOW'] })).toEqual([]);
    expect(filterRows(rows, {})).toHaveLength(rows.length);
  });

  it('sorts by severity, rule, organisation and clients, both ways', () => {
    expect(sortRows(rows, 'severity', 'desc')[0]?.finding.severity).toBe('CRITICAL');
    expect(sortRows(rows, 'severity', 'asc')[0]?.finding.severity).toBe('INFO');
    expect(sortRows(rows, 'rule', 'asc').map((r) => r.finding.rule)[0]).toBe('INDEFINITE_RETENTION');
    expect(sortRows(rows, 'organisation', 'asc').map((r) => r.organisationName)).toEqual(['doc.interactions.privacy', 'Hosting', 'Interact CX', 'Interactions', 'y']);
    expect(sortRows(rows, 'clients', 'desc')[0]?.finding.rule).toBe('ONWARD_TRANSFER');
    // ties fall back to severity, most severe first
    const mediums = sortRows(rows, 'clients', 'asc').filter((r) => r.clients.length === 0);
    expect(mediums.map((r) => r.finding.severity)).toEqual(['MEDIUM', 'MEDIUM', 'MEDIUM']);
  });
});
