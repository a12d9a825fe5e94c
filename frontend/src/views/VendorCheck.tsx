// Vendor check: procurement pastes or uploads a candidate's documents and reads the report before onboarding it:
// the questions to send, the transfers the client would make through the vendor, findings, and the draft facts with
// their evidence. The query writes nothing. It needs the procurement or editor role when the server has tokens.
import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent, type RefObject } from 'react';
import { isApiError } from '../api/client';
import { useVendorCheck, useVendorCheckClients } from '../api/vendor';
import { useAsOf } from '../app/navigation';
import { Linkified, PageHeader } from '../components/common';
import { ErrorPanel } from '../components/States';
import { SeverityBadge, StatusBadge } from '../components/StatusBadge';
import type { VendorCheckQuery } from '../gql/graphql';
import { longDate } from '../lib/dates';
import { plural } from '../lib/format';
import { basisLabel, mechanismLabel } from '../lib/mechanisms';
import { ruleLabel } from '../lib/status';
import {
  ACCEPT,
  buildSubmission,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PASTED_NAME,
  describeField,
  excerpt,
  factDetails,
  factValueLabel,
  formatBytes,
  groupFacts,
  KIND_LABEL,
  locateSpan,
  markRanges,
  questionnaireText,
  readFile,
  reasonLabel,
  requestBytes,
  subjectContext,
  subjectKind,
  subjectLabel,
  transferRoute,
  type FormProblem,
  type PreparedDocument,
  type Range,
  type SubjectContext,
  type Submission,
} from '../lib/vendor';

type Report = VendorCheckQuery['vendorCheck'];
type Fact = Report['facts'][number];

interface Run {
  id: number;
  submission: Submission;
}

/** Copies text to the clipboard; falls back to a hidden textarea where the Clipboard API is refused. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const active = document.activeElement as HTMLElement | null;
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    active?.focus();
    return ok;
  }
}

// -- the form ---------------------------------------------------------------------------------------------------------

function UploadList({ uploads, onRemove }: { uploads: PreparedDocument[]; onRemove: (i: number) => void }) {
  if (!uploads.length) return null;
  return (
    <ul className="upload-list" data-testid="upload-list">
      {uploads.map((d, i) => (
        <li key={`${d.name}-${i}`} data-upload={d.name}>
          <span className="upload-name">{d.name}</span>{' '}
          <span className="muted small">
            {KIND_LABEL[d.kind]}, {formatBytes(d.bytes)}, sent as {d.base64 !== null ? 'bytes (base64)' : 'text'}
          </span>{' '}
          <button type="button" className="button button--small button--secondary" onClick={() => onRemove(i)} aria-label={`Remove ${d.name}`}>
            Remove
          </button>
        </li>
      ))}
    </ul>
  );
}

// -- the report -------------------------------------------------------------------------------------------------------

function Summary({ report, run, headingRef }: { report: Report; run: Run; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const { vendor, client } = report;
  const hypothetical = !run.submission.input.clientId;
  const counts = {
    nonCompliant: report.transfers.filter((t) => t.status === 'NON_COMPLIANT').length,
    review: report.transfers.filter((t) => t.status === 'NEEDS_REVIEW').length,
  };
  const named = report.newDestinations.filter((d): d is NonNullable<typeof d> => d !== null);
  const unstated = report.newDestinations.some((d) => d === null);
  return (
    <section className="card vendor-summary" aria-labelledby="vc-report-title" data-testid="vendor-report">
      <h2 id="vc-report-title" ref={headingRef} tabIndex={-1}>
        Vendor check report: {vendor.name}
      </h2>
      <dl className="detail-grid">
        <dt>Vendor</dt>
        <dd data-testid="vendor-name">
          <strong>{vendor.name}</strong>
          {vendor.legalName && vendor.legalName !== vendor.name && <> ({vendor.legalName})</>}
          {' — '}
          {vendor.country ? (
            <>
              established in {vendor.country.name} ({vendor.country.code})
            </>
          ) : (
            <em>country of establishment not stated</em>
          )}
          {vendor.locations.length > 0 && <>; stores or accesses data in {vendor.locations.map((c) => `${c.name} (${c.code})`).join(', ')}</>}
          <span className="muted small"> · a draft from the documents, not in the map</span>
        </dd>
        <dt>Client</dt>
        <dd data-testid="vendor-client">
          {client.name}
          {client.country && !hypothetical && (
            <>
              {' '}
              — {client.country.name} ({client.country.code})
            </>
          )}
          {hypothetical && <span className="muted small"> · hypothetical: no client from the map was chosen</span>}
        </dd>
        <dt>Judged as of</dt>
        <dd>
          {longDate(report.asOf)} <span className="muted">({report.asOf})</span>
        </dd>
        <dt>Documents</dt>
        <dd>
          <ul className="plain" data-testid="vendor-documents">
            {run.submission.documents.map((d) => (
              <li key={d.name}>
                {d.name} <span className="muted small">({KIND_LABEL[d.kind]}, {formatBytes(d.bytes)}{d.origin === 'pasted' ? ', pasted' : ''})</span>
              </li>
            ))}
          </ul>
        </dd>
        <dt>New destinations</dt>
        <dd data-testid="vendor-new-destinations">
          {named.length === 0 && !unstated ? (
            'none: the client already reaches every destination named'
          ) : (
            <>
              {named.map((c) => `${c.name} (${c.code})`).join(', ')}
              {unstated && (
                <>
                  {named.length ? '; ' : ''}
                  <em>destinations not stated</em>
                </>
              )}
            </>
          )}
        </dd>
        <dt>At a glance</dt>
        <dd>
          {plural(report.questionnaire.length, 'question')} for the vendor · {plural(report.transfers.length, 'transfer')} (
          {counts.nonCompliant} non-compliant, {counts.review} needing review) · {plural(report.findings.length, 'finding')} ·{' '}
          {plural(report.facts.length, 'draft fact')}
        </dd>
      </dl>
      <p className="report-disclaimer" data-testid="vendor-disclaimer">
        <strong>Not legal advice.</strong> {report.disclaimer}
      </p>
    </section>
  );
}

function Questionnaire({ report, ctx, client }: { report: Report; ctx: SubjectContext; client: string }) {
  const [status, setStatus] = useState('');
  const copy = async () => {
    const text = questionnaireText(report.questionnaire, { vendor: report.vendor.name, client, asOf: report.asOf, disclaimer: report.disclaimer });
    const ok = await copyText(text);
    setStatus(ok ? `Copied ${plural(report.questionnaire.length, 'question')} to the clipboard.` : 'Could not copy: select the list and copy it by hand.');
  };
  return (
    <section className="card" aria-labelledby="vc-questions-title" data-testid="vendor-questionnaire">
      <div className="section-head">
        <h2 id="vc-questions-title">Questions for the vendor ({report.questionnaire.length})</h2>
        {report.questionnaire.length > 0 && (
          <span className="no-print section-tools">
            <button type="button" className="button button--small button--secondary" onClick={() => void copy()}>
              Copy questions
            </button>
          </span>
        )}
      </div>
      <p className="no-print small copy-status" role="status" aria-live="polite" data-testid="copy-status">
        {status}
      </p>
      {report.questionnaire.length ? (
        <>
          <p className="section-intro">
            For procurement to send to the vendor. Each question comes from a finding or a gap in the documents; the code says which.
          </p>
          <ol className="questionnaire">
            {report.questionnaire.map((q, i) => (
              <li key={i} data-reason={q.reason}>
                <p className="question">{q.question}</p>
                <p className="question-meta">
                  Reason: <code>{q.reason}</code> {reasonLabel(q.reason)} · about {subjectLabel(q.subject, ctx)}
                </p>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p>No questions: the documents answered what flowmap checks.</p>
      )}
    </section>
  );
}

function Transfers({ report }: { report: Report }) {
  return (
    <section className="card" aria-labelledby="vc-transfers-title">
      <h2 id="vc-transfers-title">Transfers through the vendor ({report.transfers.length})</h2>
      <p className="section-intro">The client’s personal data as it would flow if the client engaged the vendor, judged on {report.asOf}.</p>
      {report.transfers.length ? (
        <div className="table-scroll">
          <table className="table" data-testid="vendor-transfers">
            <caption className="visually-hidden">Transfers through the vendor: route, destination, status, basis and findings</caption>
            <thead>
              <tr>
                <th scope="col">Route</th>
                <th scope="col">Destination</th>
                <th scope="col">Status</th>
                <th scope="col">Basis</th>
                <th scope="col">Data</th>
                <th scope="col">Findings</th>
              </tr>
            </thead>
            <tbody>
              {report.transfers.map((t) => {
                const declared = [...new Set(t.path[t.path.length - 1]?.mechanisms ?? [])];
                return (
                  <tr key={t.id} data-status={t.status} data-destination={t.destination?.code ?? '?'} data-importer={t.importer.id}>
                    <td>
                      <ol className="route" aria-label={`Route to ${t.importer.name}`}>
                        {transferRoute(t).map((name, i) => (
                          <li key={i}>{name}</li>
                        ))}
                      </ol>
                    </td>
                    <td>
                      {t.destination ? (
                        <>
                          {t.destination.name} ({t.destination.code})
                        </>
                      ) : (
                        <em>not stated</em>
                      )}
                    </td>
                    <td>
                      <StatusBadge status={t.status} />
                    </td>
                    <td>
                      <span data-basis>{basisLabel(t.basis, t.basisKind, t.basisReference)}</span>
                      {declared.length > 0 && <div className="muted small">declared: {declared.map((m) => mechanismLabel(m)).join(', ')}</div>}
                    </td>
                    <td>{t.dataCategories.length ? t.dataCategories.map((c) => c.name).join(', ') : <span className="muted">none stated</span>}</td>
                    <td>
                      {t.findings.length ? (
                        <ul className="plain finding-mini">
                          {t.findings.map((f, i) => (
                            <li key={i} data-rule={f.rule}>
                              <SeverityBadge severity={f.severity} /> {ruleLabel(f.rule)}: {f.message}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <span className="muted">none</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p>No transfers: the documents name no destination outside the client’s regime area.</p>
      )}
    </section>
  );
}

const FINDING_GROUPS = [
  { kind: 'engagement', title: 'On the transfers through the vendor' },
  { kind: 'organization', title: 'On the vendor' },
  { kind: 'document', title: 'On its documents' },
  { kind: 'other', title: 'Other' },
] as const;

function Findings({ report, ctx }: { report: Report; ctx: SubjectContext }) {
  return (
    <section className="card" aria-labelledby="vc-findings-title" data-testid="vendor-findings">
      <h2 id="vc-findings-title">Findings ({report.findings.length})</h2>
      {report.findings.length === 0 && <p>No findings.</p>}
      {FINDING_GROUPS.map((g) => {
        const list = report.findings.filter((f) => subjectKind(f.subject) === g.kind);
        if (!list.length) return null;
        return (
          <div key={g.kind} className="finding-group">
            <h3>
              {g.title} ({list.length})
            </h3>
            <ul className="vendor-findings">
              {list.map((f, i) => (
                <li key={i} data-rule={f.rule} data-severity={f.severity}>
                  <p className="finding-head">
                    <SeverityBadge severity={f.severity} /> <strong>{ruleLabel(f.rule)}</strong> <code>{f.rule}</code>
                    <span className="muted small"> · about {subjectLabel(f.subject, ctx)}</span>
                  </p>
                  <p>{f.message}</p>
                  <dl className="detail-grid small">
                    <dt>Citation</dt>
                    <dd className="citation">
                      <Linkified text={f.citation} />
                    </dd>
                    <dt>Remediation</dt>
                    <dd>{f.remediation}</dd>
                  </dl>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

function FactEvidence({ fact, doc }: { fact: Fact; doc: PreparedDocument | undefined }) {
  const range = locateSpan(doc?.sourceText, fact.span);
  if (doc?.sourceText && range) {
    const x = excerpt(doc.sourceText, range);
    return (
      <blockquote className="quote fact-quote" data-located="true">
        {x.clippedStart && '…'}
        {x.before}
        <mark>{x.match}</mark>
        {x.after}
        {x.clippedEnd && '…'}
      </blockquote>
    );
  }
  return (
    <>
      <blockquote className="quote fact-quote" data-located="false">
        “{fact.span.quote}”
      </blockquote>
      <p className="quote-meta">
        Quote only: its position refers to the text the server extracted from {fact.source}
        {doc ? ` (${KIND_LABEL[doc.kind]})` : ''}, which is not shown here.
      </p>
    </>
  );
}

function Facts({ report, documents }: { report: Report; documents: PreparedDocument[] }) {
  const byName = new Map(documents.map((d) => [d.name, d]));
  const categoryNames = new Map(report.transfers.flatMap((t) => t.dataCategories.map((c): [string, string] => [c.key, c.name])));
  const groups = groupFacts(report.facts);
  return (
    <section className="card" aria-labelledby="vc-facts-title" data-testid="vendor-facts">
      <h2 id="vc-facts-title">What the documents say: draft facts ({report.facts.length})</h2>
      <p className="section-intro">Read automatically from the documents, each with the words it was read from. Drafts until a person reviews them.</p>
      {groups.length === 0 && <p>No facts were read from the documents.</p>}
      {groups.map((g) => (
        <section key={g.kind} className="fact-group" aria-labelledby={`vc-facts-${g.kind}`} data-kind={g.kind}>
          <h3 id={`vc-facts-${g.kind}`}>
            {g.label} ({g.facts.length})
          </h3>
          {g.about && <p className="muted small">{g.about}</p>}
          <ul className="facts">
            {g.facts.map((f, i) => {
              const details = factDetails(f.detail);
              return (
                <li key={i} className="fact" data-kind={f.kind} data-value={f.value}>
                  <p className="fact-head">
                    <strong>{factValueLabel(f, categoryNames)}</strong> <span className="muted small">from {f.source}</span>
                  </p>
                  {details.length > 0 && (
                    <p className="fact-detail small muted">
                      {details.map(([k, v], j) => (
                        <span key={k}>
                          {j > 0 && ' · '}
                          {k}: {v}
                        </span>
                      ))}
                    </p>
                  )}
                  <FactEvidence fact={f} doc={byName.get(f.source)} />
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      <SourceTexts report={report} documents={documents} />
    </section>
  );
}

function SourceTexts({ report, documents }: { report: Report; documents: PreparedDocument[] }) {
  const shown = documents.flatMap((d) => {
    if (!d.sourceText) return [];
    const ranges = report.facts
      .filter((f) => f.source === d.name)
      .map((f) => locateSpan(d.sourceText, f.span))
      .filter((r): r is Range => r !== null);
    return ranges.length ? [{ doc: d, text: d.sourceText, ranges }] : [];
  });
  if (!shown.length) return null;
  return (
    <div className="source-texts no-print">
      <h3>Source texts</h3>
      {shown.map(({ doc, text, ranges }) => (
        <details key={doc.name} className="source-text">
          <summary>
            {doc.name}, with the {plural(ranges.length, 'passage')} the facts were read from marked
          </summary>
          <div className="source-text-body" data-testid="source-text">
            {markRanges(text, ranges).map((s, i) => (s.marked ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
          </div>
        </details>
      ))}
    </div>
  );
}

function ReportView({ report, run, headingRef }: { report: Report; run: Run; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const ctx = subjectContext(report.transfers, run.submission.documents, [report.vendor, report.client]);
  return (
    <div className="vendor-report">
      <Summary report={report} run={run} headingRef={headingRef} />
      <Questionnaire report={report} ctx={ctx} client={report.client.name} />
      <Transfers report={report} />
      <Findings report={report} ctx={ctx} />
      <Facts report={report} documents={run.submission.documents} />
    </div>
  );
}

// -- the view ---------------------------------------------------------------------------------------------------------

export default function VendorCheck() {
  const { asOf } = useAsOf();
  const clients = useVendorCheckClients();
  const [pastedText, setPastedText] = useState('');
  const [pastedName, setPastedName] = useState(DEFAULT_PASTED_NAME);
  const [uploads, setUploads] = useState<PreparedDocument[]>([]);
  const [reading, setReading] = useState(0);
  const [uploadErrors, setUploadErrors] = useState<string[]>([]);
  const [clientId, setClientId] = useState('');
  const [clientCountry, setClientCountry] = useState('BE');
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [run, setRun] = useState<Run | null>(null);
  const check = useVendorCheck(run?.id ?? 0, run?.submission.input ?? null, asOf);
  const id = useId();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const countryRef = useRef<HTMLInputElement>(null);
  const reportHeading = useRef<HTMLHeadingElement>(null);
  const focusedRun = useRef(0);

  // a new report takes focus (once per run), so keyboard and screen-reader users land on it
  useEffect(() => {
    if (run && check.data && focusedRun.current !== run.id) {
      focusedRun.current = run.id;
      reportHeading.current?.focus();
    }
  }, [check.data, run]);

  const onFiles = async (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])];
    e.target.value = ''; // the same file can be chosen again after removing it
    if (!files.length) return;
    setReading((n) => n + files.length);
    const results = await Promise.allSettled(files.map((f) => readFile(f)));
    setReading((n) => n - files.length);
    const read = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${files[i]?.name ?? 'a file'}: could not be read in the browser.`] : []));
    setUploads((u) => [...u, ...read]);
    setUploadErrors(failed);
    if (read.length) setProblems((p) => p.filter((x) => x.field !== 'documents'));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const built = buildSubmission({ pastedText, pastedName, uploads, clientId, clientCountry, asOf });
    setProblems(built.problems);
    if (!built.submission) {
      if (built.problems[0]?.field === 'clientCountry') countryRef.current?.focus();
      else textRef.current?.focus();
      return;
    }
    const submission = built.submission;
    setRun((r) => ({ id: (r?.id ?? 0) + 1, submission }));
  };

  const clear = () => {
    setPastedText('');
    setPastedName(DEFAULT_PASTED_NAME);
    setUploads([]);
    setUploadErrors([]);
    setProblems([]);
    setRun(null);
    textRef.current?.focus();
  };

  const problem = (field: FormProblem['field']) => problems.find((p) => p.field === field);
  const docProblem = problem('documents');
  const countryProblem = problem('clientCountry');
  const size = run ? requestBytes(run.submission.input) : 0;
  const clientList = clients.data?.list ?? [];

  return (
    <>
      <PageHeader title="Vendor check" asOf={asOf}>
        <p>
          Before onboarding a vendor: paste or upload its privacy policy, DPA or sub-processor list. flowmap reads the documents, judges the
          transfers the client would make through the vendor as if it engaged it, and drafts the questions to send. Nothing is saved: the map
          does not change.
        </p>
      </PageHeader>
      <form className="card vendor-form no-print" onSubmit={submit} aria-labelledby={`${id}-form-title`} noValidate>
        <h2 id={`${id}-form-title`}>Documents and client</h2>
        <div className="form-row">
          <div className="form-field form-field--grow">
            <label htmlFor={`${id}-text`}>Paste a privacy policy or sub-processor list</label>
            <textarea
              id={`${id}-text`}
              ref={textRef}
              rows={9}
              value={pastedText}
              onChange={(e) => {
                setPastedText(e.target.value);
                if (e.target.value.trim()) setProblems((p) => p.filter((x) => x.field !== 'documents'));
              }}
              aria-describedby={`${id}-text-hint${docProblem ? ` ${id}-doc-problem` : ''}`}
              aria-invalid={docProblem ? true : undefined}
              spellCheck={false}
              data-testid="vendor-text"
            />
            <p id={`${id}-text-hint`} className="hint">
              Plain text as copied from the vendor’s site. The facts found in it are shown in context.
            </p>
          </div>
        </div>
        <div className="form-row">
          <div className="form-field">
            <label htmlFor={`${id}-name`}>File name of the pasted text</label>
            <input
              id={`${id}-name`}
              type="text"
              value={pastedName}
              onChange={(e) => setPastedName(e.target.value)}
              aria-describedby={`${id}-name-hint`}
              spellCheck={false}
              autoComplete="off"
            />
            <p id={`${id}-name-hint`} className="hint">
              A <code>.csv</code> or <code>.md</code> name makes the server read the text as a table.
            </p>
          </div>
          <div className="form-field form-field--grow">
            <label htmlFor={`${id}-files`}>Upload documents</label>
            <input
              id={`${id}-files`}
              type="file"
              multiple
              accept={ACCEPT}
              onChange={(e) => void onFiles(e)}
              aria-describedby={`${id}-files-hint`}
              data-testid="vendor-files"
            />
            <p id={`${id}-files-hint`} className="hint">
              Text, Markdown, HTML, PDF, or a sub-processor table as CSV or XLSX; several at once. Read in this browser and sent with the
              check.
            </p>
            {reading > 0 && (
              <p role="status" className="small">
                Reading {plural(reading, 'file')}…
              </p>
            )}
            <UploadList
              uploads={uploads}
              onRemove={(i) => {
                setUploads((u) => u.filter((_, j) => j !== i));
                textRef.current?.focus();
              }}
            />
            {uploadErrors.length > 0 && (
              <ul className="form-error" role="alert">
                {uploadErrors.map((m, i) => (
                  <li key={i}>{m}</li>
                ))}
              </ul>
            )}
          </div>
        </div>
        {docProblem && (
          <p id={`${id}-doc-problem`} className="form-error" role="alert">
            {docProblem.message}
          </p>
        )}
        <fieldset className="form-row client-fieldset">
          <legend>Client</legend>
          <div className="form-field">
            <label htmlFor={`${id}-client`}>Check as if this client engaged the vendor</label>
            <select id={`${id}-client`} value={clientId} onChange={(e) => setClientId(e.target.value)} aria-describedby={`${id}-client-hint`}>
              <option value="">None: a hypothetical client</option>
              {clientList.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                  {c.country ? ` (${c.country.code})` : ''}
                </option>
              ))}
            </select>
            <p id={`${id}-client-hint`} className="hint">
              {clients.isPending
                ? 'Loading the clients…'
                : clients.error
                  ? 'The clients could not be loaded; a hypothetical client can still be checked.'
                  : clients.data && clients.data.totalCount > clientList.length
                    ? `The first ${clientList.length} of ${clients.data.totalCount} clients.`
                    : 'With a client from the map, its existing transfers count too (new destinations).'}
            </p>
          </div>
          <div className="form-field">
            <label htmlFor={`${id}-country`}>Hypothetical client established in</label>
            <input
              id={`${id}-country`}
              ref={countryRef}
              type="text"
              className="input-country"
              value={clientCountry}
              onChange={(e) => {
                setClientCountry(e.target.value.toUpperCase());
                setProblems((p) => p.filter((x) => x.field !== 'clientCountry'));
              }}
              maxLength={2}
              disabled={Boolean(clientId)}
              aria-describedby={`${id}-country-hint${countryProblem ? ` ${id}-country-problem` : ''}`}
              aria-invalid={countryProblem ? true : undefined}
              autoComplete="off"
              spellCheck={false}
            />
            <p id={`${id}-country-hint`} className="hint">
              ISO country code, for example BE. Used when no client is chosen.
            </p>
            {countryProblem && (
              <p id={`${id}-country-problem`} className="form-error" role="alert">
                {countryProblem.message}
              </p>
            )}
          </div>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button" disabled={reading > 0}>
            Check vendor
          </button>
          <button type="button" className="button button--secondary" onClick={clear}>
            Clear
          </button>
          <span className="muted small">
            Judged as of {longDate(asOf)} ({asOf}); change the date in the header.
          </span>
        </div>
      </form>
      {run === null ? (
        <p className="state state--empty no-print">Paste a text or upload documents, then choose “Check vendor”.</p>
      ) : check.error ? (
        <ErrorPanel
          error={check.error}
          what="the vendor check"
          onRetry={() => void check.refetch()}
          forbidden={{
            title: 'Checking vendors needs the procurement or editor role',
            hint: (
              <>
                The token in use may read the map but not check vendors. Enter a token with the <strong>procurement</strong> or{' '}
                <strong>editor</strong> role.
              </>
            ),
          }}
        >
          <VendorErrorNotes error={check.error} documents={run.submission.documents} size={size} />
        </ErrorPanel>
      ) : check.isPending || !check.data ? (
        <div className="state state--loading" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" />
          Checking the vendor: reading {plural(run.submission.documents.length, 'document')} on the server…
        </div>
      ) : (
        <ReportView report={check.data.vendorCheck} run={run} headingRef={reportHeading} />
      )}
    </>
  );
}

/** Which document an error's field points at, and the request size when the server refused it as too large. */
function VendorErrorNotes({ error, documents, size }: { error: unknown; documents: PreparedDocument[]; size: number }) {
  if (!isApiError(error)) return null;
  const notes = error.errors.flatMap((e) => {
    const doc = describeField(e.extensions?.field, documents);
    return doc && e.extensions?.field ? [`${e.extensions.field} is ${doc}.`] : [];
  });
  const tooLarge = error.errors.some((e) => e.extensions?.code === 'PAYLOAD_TOO_LARGE') || error.status === 413;
  if (tooLarge) {
    notes.push(
      `The request was ${formatBytes(size)}; flowmap accepts ${formatBytes(DEFAULT_MAX_BODY_BYTES)} unless FLOWMAP_MAX_BODY_BYTES says otherwise. Send fewer or smaller files, or the text instead of the PDF.`,
    );
  }
  if (!notes.length) return null;
  return (
    <ul className="error-notes">
      {notes.map((n, i) => (
        <li key={i}>{n}</li>
      ))}
    </ul>
  );
}
