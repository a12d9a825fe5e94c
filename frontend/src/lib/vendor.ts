// Vendor check: documents read in the browser, the query's input, draft facts grouped, spans located in the text the
// user submitted, the questionnaire as plain text, finding subjects in words. Pure, unit-tested.
import type { FactKind, VendorCheckInput, VendorDocumentInput } from '../gql/graphql';
import { mechanismLabel } from './mechanisms';
import { ruleLabel } from './status';

// -- documents --------------------------------------------------------------------------------------------------------

/** What the file input offers; the server sniffs the bytes too and says clearly when it cannot read something. */
export const ACCEPT = '.txt,.md,.html,.htm,.pdf,.csv,.xlsx';

export const DEFAULT_PASTED_NAME = 'pasted.txt';

/** The server's default request limit (FLOWMAP_MAX_BODY_BYTES). */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

export type DocumentKind = 'text' | 'markdown' | 'html' | 'csv' | 'pdf' | 'xlsx' | 'unknown';

const KIND_BY_EXTENSION: Readonly<Record<string, DocumentKind>> = {
  txt: 'text',
  text: 'text',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  csv: 'csv',
  tsv: 'csv',
  pdf: 'pdf',
  xlsx: 'xlsx',
  xlsm: 'xlsx',
};

export const KIND_LABEL: Readonly<Record<DocumentKind, string>> = {
  text: 'plain text',
  markdown: 'Markdown',
  html: 'HTML',
  csv: 'table (CSV)',
  pdf: 'PDF',
  xlsx: 'table (XLSX)',
  unknown: 'unknown type (the server decides)',
};

/** The lower-case extension of a file name, which may carry a Windows path; '' when there is none. */
export function extensionOf(name: string): string {
  const base = name.replace(/\\/g, '/').split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** What the name says the document is (the server also looks at the content: a .txt holding HTML is read as HTML). */
export function kindFromName(name: string): DocumentKind {
  return KIND_BY_EXTENSION[extensionOf(name)] ?? 'unknown';
}

/** Whether the server reads this kind as a table, so its spans index the table's text, not the file's. */
export function isTableKind(kind: DocumentKind): boolean {
  return kind === 'csv' || kind === 'xlsx';
}

export interface PreparedDocument {
  name: string;
  kind: DocumentKind;
  /** Sent as text (UTF-8) ... */
  text: string | null;
  /** ... or as base64 bytes (PDF, XLSX, and text that is not UTF-8: the server detects its encoding). */
  base64: string | null;
  /**
   * The text the server's span offsets index, when the dashboard can know it: plain text and Markdown sent as text,
   * with the server's own normalisation (no BOM, \n line ends). Null for HTML, PDF and tables: their offsets index the
   * server's extracted text, which the dashboard does not have.
   */
  sourceText: string | null;
  /** Size in bytes of what the user gave (the file, or the pasted text in UTF-8). */
  bytes: number;
  origin: 'pasted' | 'upload';
}

/** What the server does to text before reading it: a leading BOM dropped, CRLF and CR turned into LF. */
export function normalizeText(text: string): string {
  return (text.startsWith('\ufeff') ? text.slice(1) : text).replace(/\r\n?/g, '\n');
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

function hasSourceOffsets(kind: DocumentKind): boolean {
  return kind === 'text' || kind === 'markdown' || kind === 'unknown';
}

/** A pasted text (or a text file already decoded). */
export function documentFromText(name: string, text: string, origin: PreparedDocument['origin'] = 'pasted'): PreparedDocument {
  const kind = kindFromName(name);
  return {
    name,
    kind,
    text,
    base64: null,
    sourceText: hasSourceOffsets(kind) ? normalizeText(text) : null,
    bytes: utf8Length(text),
    origin,
  };
}

/** Base64 of bytes, in chunks (String.fromCharCode on a whole 20 MB file would overflow the stack). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  return magic.every((b, i) => bytes[at + i] === b);
}

/** PDF (%PDF- in the first KiB) or a ZIP container (XLSX), whatever the name says. */
export function looksBinary(bytes: Uint8Array): boolean {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return true;
  const head = bytes.subarray(0, 1024);
  for (let i = 0; i + 5 <= head.length; i++) if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d], i)) return true;
  return false;
}

/**
 * An uploaded file's bytes: PDF and XLSX (by name or by content) go as base64; text goes as text when it is UTF-8,
 * else as base64 so the server can detect its encoding (and reject a binary file with a clear message).
 */
export function documentFromBytes(name: string, bytes: Uint8Array): PreparedDocument {
  const kind = kindFromName(name);
  const asBase64 = (): PreparedDocument => ({ name, kind, text: null, base64: bytesToBase64(bytes), sourceText: null, bytes: bytes.length, origin: 'upload' });
  if (kind === 'pdf' || kind === 'xlsx' || looksBinary(bytes)) return asBase64();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return asBase64();
  }
  if (text.includes('\u0000')) return asBase64();
  return { ...documentFromText(name, text, 'upload'), bytes: bytes.length };
}

/** A File from an <input type="file">, read in the browser. */
export async function readFile(file: Blob & { name: string }): Promise<PreparedDocument> {
  const buffer = await file.arrayBuffer();
  return documentFromBytes(file.name, new Uint8Array(buffer));
}

/** Names made unique ('a.txt', 'a.txt' -> 'a.txt', 'a (2).txt'): the report ties each fact to its document by name. */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((raw) => {
    const name = raw.trim() || 'document';
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const ext = dot > 0 ? name.slice(dot) : '';
    let n = 2;
    while (taken.has(`${stem} (${n})${ext}`)) n++;
    const unique = `${stem} (${n})${ext}`;
    taken.add(unique);
    return unique;
  });
}

export interface CheckForm {
  pastedText: string;
  pastedName: string;
  uploads: readonly PreparedDocument[];
  clientId: string;
  clientCountry: string;
  asOf: string;
}

export interface FormProblem {
  /** The form field: 'documents' or 'clientCountry'. */
  field: 'documents' | 'clientCountry';
  message: string;
}

export interface Submission {
  input: VendorCheckInput;
  /** The documents as sent, in order (input.documents[i] is documents[i]), with unique names. */
  documents: PreparedDocument[];
}

/** The query's input from the form, or what is missing. A blank pasted text is ignored. */
export function buildSubmission(form: CheckForm): { submission: Submission; problems: [] } | { submission: null; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const docs: PreparedDocument[] = [];
  if (form.pastedText.trim()) docs.push(documentFromText(form.pastedName.trim() || DEFAULT_PASTED_NAME, form.pastedText));
  docs.push(...form.uploads);
  if (!docs.length) problems.push({ field: 'documents', message: 'Paste a text or upload at least one document.' });
  const clientId = form.clientId.trim();
  const country = form.clientCountry.trim().toUpperCase();
  if (!clientId && !/^[A-Z]{2}$/.test(country)) {
    problems.push({ field: 'clientCountry', message: 'Give the hypothetical client’s country as a two-letter ISO code, for example BE.' });
  }
  if (problems.length) return { submission: null, problems };
  const names = uniqueNames(docs.map((d) => d.name));
  const documents = docs.map((d, i) => (names[i] === d.name ? d : { ...d, name: names[i] ?? d.name }));
  const input: VendorCheckInput = {
    documents: documents.map((d): VendorDocumentInput => (d.base64 !== null ? { name: d.name, base64: d.base64 } : { name: d.name, text: d.text ?? '' })),
    ...(clientId ? { clientId } : { clientCountry: country }),
    asOf: form.asOf,
  };
  return { submission: { input, documents }, problems: [] };
}

/** The request body's size in bytes, to warn before the server's limit refuses it. */
export function requestBytes(input: VendorCheckInput): number {
  return utf8Length(JSON.stringify(input));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** 'input.documents[1].base64' -> 'document 2 (policy.pdf)'; null when the field names no document. */
export function describeField(field: string | null | undefined, documents: readonly { name: string }[]): string | null {
  const m = /^input\.documents\[(\d+)\]/.exec(field ?? '');
  if (!m) return null;
  const i = Number(m[1]);
  const doc = documents[i];
  return doc ? `document ${i + 1} (${doc.name})` : `document ${i + 1}`;
}

// -- spans ------------------------------------------------------------------------------------------------------------

export interface SpanLike {
  start: number;
  end: number;
  quote: string;
}

export interface Range {
  start: number;
  end: number;
}

/**
 * The UTF-16 index (what JavaScript strings use) of a code-point offset (what the server's Python strings use).
 * They differ after any character outside the Basic Multilingual Plane (emoji, some CJK). -1 when out of range.
 */
export function codePointToIndex(text: string, offset: number): number {
  if (!Number.isInteger(offset) || offset < 0) return -1;
  if (!/[\ud800-\udfff]/.test(text)) return offset <= text.length ? offset : -1;
  let index = 0;
  for (let cp = 0; cp < offset; cp++) {
    if (index >= text.length) return -1;
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff && index + 1 < text.length ? 2 : 1;
  }
  return index;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Where a fact's span is in the text the user submitted, checked against its quote (whitespace may differ).
 * Null when the offsets do not point at the quote: the text is not the one the server read (HTML, PDF, a table).
 */
export function locateSpan(text: string | null | undefined, span: SpanLike): Range | null {
  if (!text || span.end < span.start) return null;
  const start = codePointToIndex(text, span.start);
  const end = codePointToIndex(text, span.end);
  if (start < 0 || end < 0 || end < start) return null;
  const found = text.slice(start, end);
  if (found === span.quote || (span.quote.trim() !== '' && squash(found) === squash(span.quote))) return { start, end };
  return null;
}

export interface Excerpt {
  before: string;
  match: string;
  after: string;
  /** Text was cut before `before` / after `after`. */
  clippedStart: boolean;
  clippedEnd: boolean;
}

/** The span with up to `radius` characters of context each side, cut at a word boundary when one is near. */
export function excerpt(text: string, range: Range, radius = 120): Excerpt {
  let from = Math.max(0, range.start - radius);
  let to = Math.min(text.length, range.end + radius);
  if (from > 0) {
    const space = text.slice(from, range.start).search(/\s/);
    if (space >= 0 && from + space < range.start) from += space + 1;
  }
  if (to < text.length) {
    const tail = text.slice(range.end, to);
    const space = tail.search(/\s\S*$/);
    if (space > 0) to = range.end + space;
  }
  return {
    before: text.slice(from, range.start),
    match: text.slice(range.start, range.end),
    after: text.slice(range.end, to),
    clippedStart: from > 0,
    clippedEnd: to < text.length,
  };
}

export interface TextSegment {
  text: string;
  marked: boolean;
}

/** The whole text cut into plain and marked segments; overlapping and touching ranges are merged. */
export function markRanges(text: string, ranges: readonly Range[]): TextSegment[] {
  const sorted = ranges
    .filter((r) => r.end > r.start && r.start >= 0 && r.end <= text.length)
    .map((r) => ({ ...r }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Range[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push(r);
  }
  const out: TextSegment[] = [];
  let at = 0;
  for (const r of merged) {
    if (r.start > at) out.push({ text: text.slice(at, r.start), marked: false });
    out.push({ text: text.slice(r.start, r.end), marked: true });
    at = r.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), marked: false });
  return out;
}

// -- facts ------------------------------------------------------------------------------------------------------------

export const FACT_KINDS: ReadonlyArray<{ kind: FactKind; label: string; about: string }> = [
  { kind: 'ORGANIZATION', label: 'The vendor', about: 'who the documents say the vendor is' },
  { kind: 'RECIPIENT', label: 'Recipients and sub-processors', about: 'who receives the data from the vendor' },
  { kind: 'COUNTRY', label: 'Countries', about: 'where the data is stored or accessed' },
  { kind: 'NO_TRANSFER_OUTSIDE', label: 'Data stays in a region', about: 'statements that the data does not leave a region' },
  { kind: 'MECHANISM', label: 'Transfer mechanisms', about: 'the legal tools the documents rely on' },
  { kind: 'CATEGORY', label: 'Categories of personal data', about: 'what personal data is processed' },
  { kind: 'RETENTION', label: 'Retention', about: 'how long the data is kept' },
  { kind: 'LEGAL_REFERENCE', label: 'Laws and authorities cited', about: 'the legal references the documents make' },
];

export interface FactLike {
  kind: FactKind;
  value: string;
  source: string;
  detail: unknown;
  span: SpanLike;
}

export interface FactGroup<F extends FactLike> {
  kind: FactKind;
  label: string;
  about: string;
  facts: F[];
}

/** Facts by kind, in a fixed order (the vendor first, laws last); kinds with no facts are left out. */
export function groupFacts<F extends FactLike>(facts: readonly F[]): FactGroup<F>[] {
  const known = new Set<string>(FACT_KINDS.map((k) => k.kind));
  const groups: FactGroup<F>[] = FACT_KINDS.map((k) => ({ ...k, facts: facts.filter((f) => f.kind === k.kind) }));
  const other = facts.filter((f) => !known.has(f.kind));
  for (const kind of [...new Set(other.map((f) => f.kind))]) {
    groups.push({ kind, label: kind, about: '', facts: other.filter((f) => f.kind === kind) });
  }
  return groups.filter((g) => g.facts.length > 0);
}

/** The fact's detail as string pairs (the API sends an object of strings); internal offsets left out. */
export function factDetails(detail: unknown): Array<[string, string]> {
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return [];
  return Object.entries(detail as Record<string, unknown>)
    .filter(([k, v]) => !k.endsWith('_span') && v !== null && v !== undefined && v !== '')
    .map(([k, v]): [string, string] => [k.replace(/_/g, ' '), typeof v === 'string' ? v : JSON.stringify(v)]);
}

function detailString(detail: unknown, key: string): string | null {
  if (!detail || typeof detail !== 'object') return null;
  const v = (detail as Record<string, unknown>)[key];
  return typeof v === 'string' && v ? v : null;
}

/**
 * A fact's value in words: mechanism and law names, country names next to their codes, category names (from
 * `categoryNames`, the taxonomy names the report's transfers carry) next to their keys.
 */
export function factValueLabel(fact: Pick<FactLike, 'kind' | 'value' | 'detail'>, categoryNames?: ReadonlyMap<string, string>): string {
  switch (fact.kind) {
    case 'CATEGORY': {
      const name = categoryNames?.get(fact.value);
      return name && name !== fact.value ? `${name} (${fact.value})` : fact.value;
    }
    case 'MECHANISM': {
      const label = mechanismLabel(fact.value);
      return label === fact.value ? label : `${label} (${fact.value})`;
    }
    case 'COUNTRY': {
      const name = detailString(fact.detail, 'name');
      return name ? `${name} (${fact.value})` : fact.value;
    }
    case 'LEGAL_REFERENCE':
      return detailString(fact.detail, 'name') ?? fact.value;
    default:
      return fact.value;
  }
}

// -- the report -------------------------------------------------------------------------------------------------------

export interface QuestionLike {
  question: string;
  reason: string;
  subject: string;
}

/** The questionnaire as plain text, to paste into an e-mail to the vendor. */
export function questionnaireText(
  questions: readonly QuestionLike[],
  ctx: { vendor: string; client: string; asOf: string; disclaimer: string },
): string {
  const lines = [`Questions for ${ctx.vendor}`, `(flowmap vendor check for ${ctx.client}, as of ${ctx.asOf})`, ''];
  questions.forEach((q, i) => lines.push(`${i + 1}. ${q.question} [${q.reason}]`));
  if (!questions.length) lines.push('No questions: the documents answered what flowmap checks.');
  lines.push('', `Not legal advice. ${ctx.disclaimer}`);
  return lines.join('\n');
}

export function reasonLabel(reason: string): string {
  return ruleLabel(reason);
}

export interface Party {
  id: string;
  name: string;
}

export interface TransferLike {
  client: Party;
  importer: Party;
  path: ReadonlyArray<{ engagement: { id: string }; exporter: Party; importer: Party }>;
}

/** Client → each importer along the path (the last is the transfer's importer). */
export function transferRoute(t: TransferLike): string[] {
  const names = [t.client.name, ...t.path.map((h) => h.importer.name)];
  if (!t.path.length) names.push(t.importer.name);
  return names;
}

export interface SubjectContext {
  engagements: ReadonlyMap<string, { exporter: Party; importer: Party }>;
  /** The documents in the order sent: the server calls them candidate.doc.1, .2, … */
  documents: readonly { name: string }[];
  organizations: ReadonlyMap<string, string>;
}

export function subjectContext(
  transfers: readonly TransferLike[],
  documents: readonly { name: string }[],
  organizations: readonly Party[],
): SubjectContext {
  const engagements = new Map<string, { exporter: Party; importer: Party }>();
  const names = new Map<string, string>();
  for (const o of organizations) names.set(o.id, o.name);
  for (const t of transfers) {
    names.set(t.client.id, t.client.name);
    names.set(t.importer.id, t.importer.name);
    for (const h of t.path) {
      engagements.set(h.engagement.id, { exporter: h.exporter, importer: h.importer });
      names.set(h.exporter.id, h.exporter.name);
      names.set(h.importer.id, h.importer.name);
    }
  }
  return { engagements, documents, organizations: names };
}

/** A finding's or question's subject in words: 'engagement:a>b' -> 'A → B', 'document:candidate.doc.2' -> its name. */
export function subjectLabel(subject: string, ctx: SubjectContext): string {
  const i = subject.indexOf(':');
  const kind = i > 0 ? subject.slice(0, i) : '';
  const id = i > 0 ? subject.slice(i + 1) : subject;
  if (kind === 'engagement') {
    const e = ctx.engagements.get(id);
    if (e) return `${e.exporter.name} → ${e.importer.name}`;
    const [from, to] = id.split('>');
    if (from && to) return `${ctx.organizations.get(from) ?? from} → ${ctx.organizations.get(to.split(':')[0] ?? to) ?? to}`;
    return id;
  }
  if (kind === 'document') {
    const m = /\.doc\.(\d+)$/.exec(id);
    const doc = m ? ctx.documents[Number(m[1]) - 1] : undefined;
    return doc ? `document ${doc.name}` : `document ${id}`;
  }
  if (kind === 'organization') return ctx.organizations.get(id) ?? id;
  return subject;
}

/** Where a finding sits: on a transfer hop, the vendor or another organisation, or a document. */
export function subjectKind(subject: string): 'engagement' | 'organization' | 'document' | 'other' {
  const kind = subject.slice(0, Math.max(0, subject.indexOf(':')));
  return kind === 'engagement' || kind === 'organization' || kind === 'document' ? kind : 'other';
}
