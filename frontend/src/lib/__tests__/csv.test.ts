import { afterEach, describe, expect, it, vi } from 'vitest';
import { csvField, downloadCsv, toCsv } from '../csv';

describe('csvField', () => {
  it('leaves plain text alone', () => {
    expect(csvField('Interactions LLC')).toBe('Interactions LLC');
    expect(csvField(42)).toBe('42');
  });

  it('quotes commas, quotes, CR and LF, doubling quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvField('line 1\r\nline 2')).toBe('"line 1\r\nline 2"');
    expect(csvField('"')).toBe('""""');
  });

  it('defuses spreadsheet formulas', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('a=b')).toBe('a=b');
  });

  it('writes empty cells for null and undefined, and joins lists', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(['Demo: A', 'Demo: B'])).toBe('Demo: A; Demo: B');
    expect(csvField(['a,b', 'c'])).toBe('"a,b; c"');
  });
});

describe('toCsv', () => {
  it('writes a header and one CRLF-terminated line per row', () => {
    const rows = [
      { rule: 'INVALIDATED_MECHANISM', message: 'PRIVACY_SHIELD_EU_US is no longer valid since 2020-07-16.' },
      { rule: 'UNKNOWN_LOCATION', message: 'Where, "exactly"?' },
    ];
    const csv = toCsv(rows, [
      { header: 'rule', value: (r) => r.rule },
      { header: 'finding, text', value: (r) => r.message },
    ]);
    expect(csv).toBe(
      'rule,"finding, text"\r\n' +
        'INVALIDATED_MECHANISM,PRIVACY_SHIELD_EU_US is no longer valid since 2020-07-16.\r\n' +
        'UNKNOWN_LOCATION,"Where, ""exactly""?"\r\n',
    );
  });

  it('writes only the header for no rows', () => {
    expect(toCsv([], [{ header: 'a', value: () => 1 }])).toBe('a\r\n');
  });
});

describe('downloadCsv', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('offers a UTF-8 CSV blob under the file name', async () => {
    const blobs: Blob[] = [];
    const create = vi.fn((b: Blob) => {
      blobs.push(b);
      return 'blob:test';
    });
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: create, revokeObjectURL: vi.fn() }));
    const clicked: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    downloadCsv('findings.csv', 'a,b\r\n');
    expect(click).toHaveBeenCalledOnce();
    expect(clicked[0]?.download).toBe('findings.csv');
    expect(clicked[0]?.isConnected).toBe(false);
    expect(blobs[0]?.type).toBe('text/csv;charset=utf-8');
    const bytes = new Uint8Array(await blobs[0]!.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe('a,b\r\n');
  });
});
