import { describe, expect, it } from 'vitest';
import { buildHash, listParam, matchRoute, orgPath, parseHash } from '../router';

describe('hash routing', () => {
  it('reads the path and the query', () => {
    const loc = parseHash('#/findings?asOf=2020-07-15&severity=CRITICAL,HIGH');
    expect(loc.path).toBe('/findings');
    expect(loc.params.get('asOf')).toBe('2020-07-15');
    expect(listParam(loc.params, 'severity')).toEqual(['CRITICAL', 'HIGH']);
  });

  it('treats an empty hash as the overview', () => {
    expect(parseHash('').path).toBe('/');
    expect(parseHash('#').path).toBe('/');
    expect(parseHash('#?asOf=2020-01-01').path).toBe('/');
    expect(matchRoute('/')).toEqual({ name: 'overview' });
  });

  it('builds hashes, leaving out empty values', () => {
    expect(buildHash('/chains', { client: 'demo.client-be', asOf: null, depth: 5, hop: '' })).toBe('#/chains?client=demo.client-be&depth=5');
    expect(buildHash('/what-if', { revoke: ['DPF_EU_US', 'DPF_UK_EXT'], dpf: false })).toBe('#/what-if?revoke=DPF_EU_US%2CDPF_UK_EXT');
    expect(buildHash('/')).toBe('#/');
  });

  it('round-trips params', () => {
    const hash = buildHash('/findings', { q: 'a & b = c', client: 'demo.client-de' });
    const loc = parseHash(hash);
    expect(loc.params.get('q')).toBe('a & b = c');
    expect(loc.params.get('client')).toBe('demo.client-de');
  });

  it('matches every view and the organisation page', () => {
    for (const name of ['findings', 'chains', 'time-travel', 'what-if', 'organisations', 'vendor-check'] as const) expect(matchRoute(`/${name}`).name).toBe(name);
    expect(matchRoute('/nope').name).toBe('not-found');
    expect(matchRoute('/findings/extra').name).toBe('not-found');
  });

  it('encodes organisation ids in the path', () => {
    const path = orgPath('unnamed.interactions.hosting-cloud/x y');
    expect(path).toBe('/org/unnamed.interactions.hosting-cloud%2Fx%20y');
    expect(matchRoute(path)).toEqual({ name: 'organisation', id: 'unnamed.interactions.hosting-cloud/x y' });
    expect(matchRoute('/org/%E0%A4%A').name).toBe('not-found');
  });
});
