import { describe, expect, it } from 'vitest';
import { linkify, plural, websiteHref } from '../format';

describe('linkify', () => {
  it('splits bare URLs out of citations, without trailing punctuation', () => {
    const parts = linkify('CJEU C-311/18; https://cnpd.public.lu/en/x.html; GDPR Art. 46 (see https://eur-lex.europa.eu/eli/dec_impl/2021/914/oj).');
    expect(parts.filter((p) => p.href).map((p) => p.href)).toEqual(['https://cnpd.public.lu/en/x.html', 'https://eur-lex.europa.eu/eli/dec_impl/2021/914/oj']);
    expect(parts.map((p) => p.text).join('')).toBe('CJEU C-311/18; https://cnpd.public.lu/en/x.html; GDPR Art. 46 (see https://eur-lex.europa.eu/eli/dec_impl/2021/914/oj).');
  });

  it('leaves text without links whole and never links other schemes', () => {
    expect(linkify('GDPR Art. 44')).toEqual([{ text: 'GDPR Art. 44' }]);
    expect(linkify('javascript:alert(1)')).toEqual([{ text: 'javascript:alert(1)' }]);
    expect(linkify('')).toEqual([]);
  });
});

describe('websiteHref', () => {
  it('turns stored websites into https links, and refuses anything else', () => {
    expect(websiteHref('www.interactions.com')).toBe('https://www.interactions.com');
    expect(websiteHref('http://example.org/privacy')).toBe('http://example.org/privacy');
    expect(websiteHref('javascript:alert(1)')).toBeNull();
    expect(websiteHref('')).toBeNull();
    expect(websiteHref(null)).toBeNull();
  });
});

describe('plural', () => {
  it('counts', () => {
    expect(plural(1, 'transfer')).toBe('1 transfer');
    expect(plural(3, 'transfer')).toBe('3 transfers');
    expect(plural(0, 'country', 'countries')).toBe('0 countries');
    expect(plural(1200, 'flow')).toBe('1,200 flows');
  });
});
