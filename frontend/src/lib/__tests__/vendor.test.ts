import { describe, expect, it } from 'vitest';
import {
  buildSubmission,
  bytesToBase64,
  codePointToIndex,
  describeField,
  documentFromBytes,
  documentFromText,
  excerpt,
  factDetails,
  factValueLabel,
  formatBytes,
  groupFacts,
  kindFromName,
  locateSpan,
  markRanges,
  questionnaireText,
  readFile,
  requestBytes,
  subjectContext,
  subjectKind,
  subjectLabel,
  transferRoute,
  uniqueNames,
  type CheckForm,
  type FactLike,
} from '../vendor';

const POLICY =
  'Acme Cloud, Inc. is based in the United States. We use Amazon Web Services to host the service in the United States. ' +
  'Acme complies with the EU-U.S. Privacy Shield Framework. We collect your email address.';

const enc = (s: string) => new TextEncoder().encode(s);

const form = (over: Partial<CheckForm> = {}): CheckForm => ({
  pastedText: '',
  pastedName: 'pasted.txt',
  uploads: [],
  clientId: '',
  clientCountry: 'BE',
  asOf: '2026-01-01',
  ...over,
});

describe('documents read in the browser', () => {
  it('tells the kind from the name', () => {
    expect(kindFromName('policy.TXT')).toBe('text');
    expect(kindFromName('C:\\docs\\subs.csv')).toBe('csv');
    expect(kindFromName('annex.md')).toBe('markdown');
    expect(kindFromName('page.htm')).toBe('html');
    expect(kindFromName('dpa.pdf')).toBe('pdf');
    expect(kindFromName('list.xlsx')).toBe('xlsx');
    expect(kindFromName('README')).toBe('unknown');
    expect(kindFromName('.hidden')).toBe('unknown');
  });

  it('sends UTF-8 text as text, keeping the text the offsets index (no BOM, LF line ends)', () => {
    const d = documentFromBytes('policy.txt', enc('\ufeffLine one\r\nLine two\rthree'));
    expect(d.base64).toBeNull();
    expect(d.text).toBe('\ufeffLine one\r\nLine two\rthree');
    expect(d.sourceText).toBe('Line one\nLine two\nthree');
    expect(d.origin).toBe('upload');
  });

  it('sends PDF and XLSX as base64, by name or by content, with no source text', () => {
    const pdf = documentFromBytes('dpa.pdf', enc('%PDF-1.7 …'));
    expect(pdf.text).toBeNull();
    expect(atob(pdf.base64 ?? '')).toBe('%PDF-1.7 \u00e2\u0080\u00a6');
    expect(pdf.sourceText).toBeNull();
    const zip = documentFromBytes('renamed.txt', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    expect(zip.base64).toBe(bytesToBase64(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])));
    expect(documentFromBytes('saved.html', enc('junk\n%PDF-1.4 body')).base64).not.toBeNull();
  });

  it('sends text that is not UTF-8 as base64, so the server can detect its encoding', () => {
    const latin1 = new Uint8Array([0x44, 0xe9, 0x63, 0x6c, 0x61, 0x72, 0x61, 0x74, 0x69, 0x6f, 0x6e]); // "Déclaration" in Latin-1
    const d = documentFromBytes('politique.txt', latin1);
    expect(d.text).toBeNull();
    expect(d.base64).toBe(btoa(String.fromCharCode(...latin1)));
    expect(d.sourceText).toBeNull();
    expect(d.bytes).toBe(11);
  });

  it('keeps no source text for HTML and tables: their offsets index the server’s extracted text', () => {
    expect(documentFromText('page.html', '<p>Hi</p>').sourceText).toBeNull();
    expect(documentFromText('subs.csv', 'Name,Location\nA,US\n').sourceText).toBeNull();
    expect(documentFromText('notes.md', '# Policy').sourceText).toBe('# Policy');
    expect(documentFromText('pasted', 'x').sourceText).toBe('x');
  });

  it('encodes large files in chunks', () => {
    const big = new Uint8Array(100_000).map((_, i) => i % 256);
    const b64 = bytesToBase64(big);
    const back = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    expect(back).toEqual(big);
  });

  it('reads a File through arrayBuffer', async () => {
    const file = new File(['Name,Purpose,Location\nZendesk,Support,\n'], 'subs.csv', { type: 'text/csv' });
    const d = await readFile(file);
    expect(d).toMatchObject({ name: 'subs.csv', kind: 'csv', text: 'Name,Purpose,Location\nZendesk,Support,\n', base64: null, sourceText: null });
  });
});

describe('the query input', () => {
  it('needs a pasted text or a document', () => {
    const r = buildSubmission(form({ pastedText: '   \n' }));
    expect(r.submission).toBeNull();
    expect(r.problems).toEqual([{ field: 'documents', message: expect.stringContaining('Paste a text') }]);
  });

  it('needs a two-letter country without a client, and upper-cases it', () => {
    expect(buildSubmission(form({ pastedText: 'x', clientCountry: 'Belgium' })).problems[0]?.field).toBe('clientCountry');
    const ok = buildSubmission(form({ pastedText: 'x', clientCountry: ' de ' }));
    expect(ok.submission?.input).toEqual({ documents: [{ name: 'pasted.txt', text: 'x' }], clientCountry: 'DE', asOf: '2026-01-01' });
  });

  it('sends the client id instead of a country when a client is chosen', () => {
    const r = buildSubmission(form({ pastedText: 'x', clientId: 'demo.client-de', clientCountry: '' }));
    expect(r.submission?.input).toEqual({ documents: [{ name: 'pasted.txt', text: 'x' }], clientId: 'demo.client-de', asOf: '2026-01-01' });
  });

  it('puts the pasted text first, then the uploads, text or base64, with unique names', () => {
    const uploads = [documentFromBytes('pasted.txt', enc('other')), documentFromBytes('dpa.pdf', enc('%PDF-1.4'))];
    const r = buildSubmission(form({ pastedText: POLICY, pastedName: '  ', uploads }));
    expect(r.submission?.input.documents).toEqual([
      { name: 'pasted.txt', text: POLICY },
      { name: 'pasted (2).txt', text: 'other' },
      { name: 'dpa.pdf', base64: btoa('%PDF-1.4') },
    ]);
    expect(r.submission?.documents.map((d) => d.name)).toEqual(['pasted.txt', 'pasted (2).txt', 'dpa.pdf']);
    expect(requestBytes(r.submission!.input)).toBeGreaterThan(POLICY.length);
  });

  it('makes names unique', () => {
    expect(uniqueNames(['a.txt', 'a.txt', 'a (2).txt', 'a.txt', 'b', 'b', ''])).toEqual([
      'a.txt',
      'a (2).txt',
      'a (2) (2).txt',
      'a (3).txt',
      'b',
      'b (2)',
      'document',
    ]);
  });

  it('says which document an error field points at', () => {
    const docs = [{ name: 'pasted.txt' }, { name: 'dpa.pdf' }];
    expect(describeField('input.documents[1].base64', docs)).toBe('document 2 (dpa.pdf)');
    expect(describeField('input.documents[5]', docs)).toBe('document 6');
    expect(describeField('input.clientCountry', docs)).toBeNull();
    expect(describeField(undefined, docs)).toBeNull();
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(200 * 1024)).toBe('200 KB');
    expect(formatBytes(4 * 1024 * 1024)).toBe('4.0 MB');
  });
});

describe('spans in the submitted text', () => {
  it('finds the span at its offsets and checks the quote', () => {
    const start = POLICY.indexOf('EU-U.S. Privacy Shield');
    const span = { start, end: start + 22, quote: 'EU-U.S. Privacy Shield' };
    expect(locateSpan(POLICY, span)).toEqual({ start, end: start + 22 });
    expect(locateSpan(POLICY, { ...span, start: start + 1, end: start + 23 })).toBeNull();
    expect(locateSpan(null, span)).toBeNull();
    expect(locateSpan('short', span)).toBeNull();
  });

  it('tolerates whitespace differences between the quote and the text', () => {
    const text = 'We use Amazon\nWeb  Services.';
    expect(locateSpan(text, { start: 7, end: 27, quote: 'Amazon Web Services' })).toEqual({ start: 7, end: 27 });
  });

  it('turns code-point offsets (Python) into UTF-16 indexes (JavaScript)', () => {
    const text = '🙂 We use Zendesk.';
    // the server counts the emoji as one character: "Zendesk" starts at code point 9, UTF-16 index 10
    expect(codePointToIndex(text, 9)).toBe(10);
    expect(codePointToIndex('abc', 3)).toBe(3);
    expect(codePointToIndex('abc', 4)).toBe(-1);
    expect(codePointToIndex('🙂', 2)).toBe(-1);
    expect(codePointToIndex('abc', -1)).toBe(-1);
    expect(locateSpan(text, { start: 9, end: 16, quote: 'Zendesk' })).toEqual({ start: 10, end: 17 });
  });

  it('cuts an excerpt at word boundaries around the span', () => {
    const start = POLICY.indexOf('Privacy Shield');
    const x = excerpt(POLICY, { start, end: start + 14 }, 30);
    expect(x.match).toBe('Privacy Shield');
    expect(x.clippedStart).toBe(true);
    expect(x.clippedEnd).toBe(true);
    expect(x.before.endsWith('the EU-U.S. ')).toBe(true);
    expect(x.before.startsWith(' ')).toBe(false);
    expect(`${x.before}${x.match}${x.after}`).toBe(POLICY.slice(start - x.before.length, start + 14 + x.after.length));
    const whole = excerpt('a b c', { start: 2, end: 3 });
    expect(whole).toEqual({ before: 'a ', match: 'b', after: ' c', clippedStart: false, clippedEnd: false });
  });

  it('marks several ranges, merging overlaps', () => {
    expect(markRanges('abcdefghij', [{ start: 6, end: 8 }, { start: 1, end: 3 }, { start: 2, end: 4 }, { start: 6, end: 8 }])).toEqual([
      { text: 'a', marked: false },
      { text: 'bcd', marked: true },
      { text: 'ef', marked: false },
      { text: 'gh', marked: true },
      { text: 'ij', marked: false },
    ]);
    expect(markRanges('abc', [])).toEqual([{ text: 'abc', marked: false }]);
    expect(markRanges('abc', [{ start: 0, end: 3 }, { start: 2, end: 9 }])).toEqual([{ text: 'abc', marked: true }]);
  });
});

describe('facts and the report', () => {
  const fact = (kind: FactLike['kind'], value: string, detail: unknown = {}): FactLike => ({
    kind,
    value,
    detail,
    source: 'pasted.txt',
    span: { start: 0, end: 1, quote: 'x' },
  });

  it('groups facts by kind in a fixed order, leaving out empty kinds', () => {
    const groups = groupFacts([
      fact('LEGAL_REFERENCE', 'eu.privacy-shield'),
      fact('MECHANISM', 'PRIVACY_SHIELD_EU_US'),
      fact('RECIPIENT', 'Amazon Web Services'),
      fact('MECHANISM', 'SCC_2021'),
      fact('ORGANIZATION', 'Acme Cloud, Inc.'),
    ]);
    expect(groups.map((g) => [g.kind, g.facts.length])).toEqual([
      ['ORGANIZATION', 1],
      ['RECIPIENT', 1],
      ['MECHANISM', 2],
      ['LEGAL_REFERENCE', 1],
    ]);
    expect(groups[2]?.label).toBe('Transfer mechanisms');
    expect(groups[2]?.facts.map((f) => f.value)).toEqual(['PRIVACY_SHIELD_EU_US', 'SCC_2021']);
  });

  it('says what a fact’s value means', () => {
    expect(factValueLabel(fact('MECHANISM', 'PRIVACY_SHIELD_EU_US'))).toBe('EU-US Privacy Shield (PRIVACY_SHIELD_EU_US)');
    expect(factValueLabel(fact('COUNTRY', 'US', { name: 'United States' }))).toBe('United States (US)');
    expect(factValueLabel(fact('COUNTRY', 'US'))).toBe('US');
    expect(factValueLabel(fact('LEGAL_REFERENCE', 'eu.privacy-shield', { name: 'EU-US Privacy Shield' }))).toBe('EU-US Privacy Shield');
    expect(factValueLabel(fact('CATEGORY', 'user.contact.email'))).toBe('user.contact.email');
    expect(factValueLabel(fact('CATEGORY', 'user.contact.email'), new Map([['user.contact.email', 'User Contact Email']]))).toBe(
      'User Contact Email (user.contact.email)',
    );
  });

  it('lists the detail as pairs, without internal offsets', () => {
    expect(factDetails({ purpose: 'hosting', country: 'US', country_span: '102:115', vendor_kind: 'cloud', empty: '' })).toEqual([
      ['purpose', 'hosting'],
      ['country', 'US'],
      ['vendor kind', 'cloud'],
    ]);
    expect(factDetails(null)).toEqual([]);
    expect(factDetails(['a'])).toEqual([]);
  });

  it('writes the questionnaire as numbered plain text', () => {
    const text = questionnaireText(
      [
        { question: 'State the transfer mechanism you use now for transfers to Amazon Web Services.', reason: 'INVALIDATED_MECHANISM', subject: 's' },
        { question: 'Name the countries where Zendesk stores or accesses our data.', reason: 'UNKNOWN_LOCATION', subject: 's' },
      ],
      { vendor: 'Acme', client: 'Hypothetical client established in BE', asOf: '2026-01-01', disclaimer: 'Not advice.' },
    );
    expect(text.split('\n')).toEqual([
      'Questions for Acme',
      '(flowmap vendor check for Hypothetical client established in BE, as of 2026-01-01)',
      '',
      '1. State the transfer mechanism you use now for transfers to Amazon Web Services. [INVALIDATED_MECHANISM]',
      '2. Name the countries where Zendesk stores or accesses our data. [UNKNOWN_LOCATION]',
      '',
      'Not legal advice. Not advice.',
    ]);
  });

  const client = { id: 'candidate.client', name: 'Hypothetical client established in BE' };
  const vendor = { id: 'candidate.acme', name: 'Acme' };
  const aws = { id: 'candidate.acme.aws', name: 'Amazon Web Services' };
  const transfer = {
    client,
    importer: aws,
    path: [
      { engagement: { id: 'candidate.candidate.client>candidate.acme' }, exporter: client, importer: vendor },
      { engagement: { id: 'candidate.acme>candidate.acme.aws' }, exporter: vendor, importer: aws },
    ],
  };

  it('draws the route client → … → importer', () => {
    expect(transferRoute(transfer)).toEqual(['Hypothetical client established in BE', 'Acme', 'Amazon Web Services']);
    expect(transferRoute({ client, importer: vendor, path: [] })).toEqual([client.name, 'Acme']);
  });

  it('names subjects: hops, documents by their order, organisations', () => {
    const ctx = subjectContext([transfer], [{ name: 'pasted.txt' }, { name: 'subs.csv' }], [vendor]);
    expect(subjectLabel('engagement:candidate.acme>candidate.acme.aws', ctx)).toBe('Acme → Amazon Web Services');
    expect(subjectLabel('engagement:candidate.acme>candidate.acme.zendesk', ctx)).toBe('Acme → candidate.acme.zendesk');
    expect(subjectLabel('document:candidate.doc.2', ctx)).toBe('document subs.csv');
    expect(subjectLabel('document:candidate.doc.9', ctx)).toBe('document candidate.doc.9');
    expect(subjectLabel('organization:candidate.acme', ctx)).toBe('Acme');
    expect(subjectLabel('whatever', ctx)).toBe('whatever');
    expect(subjectKind('document:candidate.doc.1')).toBe('document');
    expect(subjectKind('engagement:a>b')).toBe('engagement');
    expect(subjectKind('nothing')).toBe('other');
  });
});
