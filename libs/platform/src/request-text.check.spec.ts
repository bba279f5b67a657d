import { findInBody, findInHeaders, findInUrl, sanitisedHeaderValue, sanitisedTarget } from './request-text.check';

describe('request text check', () => {
  it.each([
    ['/v1/lines/SEC%00x', '(path)', 'NUL'],
    ['/v1/lines/SEC%ED%A0%80x', '(path)', 'UTF-8'],
    ['/v1/alerts/%FF', '(path)', 'UTF-8'],
    ['/v1/alerts/%zz', '(path)', 'hex digits'],
    ['/v1/lines?area=%00', '(query).area', 'NUL'],
    ['/v1/lines?brand=a%ED%A0%80', '(query).brand', 'UTF-8'],
    ['/v1/lines?a%00=1', '(query).a?', 'NUL'],
    ['/v1/audit?x=1&actor=%00', '(query).actor', 'NUL'],
  ])('%s: refused at %s (%s)', (url, where, says) => {
    expect(findInUrl(url)).toEqual([{ path: where, message: expect.stringContaining(says) }]);
  });

  it.each([
    '/v1/lines/SEC-1?area=bath&brand=Z%C3%BCrich+Line',
    '/v1/lines?brand=100%25',
    '/v1/lines/%F0%9F%98%80', // a character beyond the BMP (a surrogate pair in JavaScript): fine
    '/health/live',
  ])('%s: taken', (url) => {
    expect(findInUrl(url)).toEqual([]);
  });

  it('checks header values byte for byte: UTF-8 taken, a surrogate’s bytes refused', () => {
    const latin1 = (bytes: number[]) => Buffer.from(bytes).toString('latin1');
    expect(findInHeaders(['X-Justification', latin1([...Buffer.from('Überprüfung')])])).toEqual([]);
    expect(findInHeaders(['Host', 'x', 'X-Justification', latin1([0x61, 0xed, 0xa0, 0x80])])).toEqual([
      { path: '(header).x-justification', message: expect.stringContaining('UTF-8') },
    ]);
  });

  it('finds NUL and unpaired surrogates in any string or field name of a body, nested', () => {
    expect(findInBody({ note: 'a\u0000b' })).toEqual([{ path: 'note', message: expect.stringContaining('NUL') }]);
    expect(findInBody({ a: [{ b: 'x\ud800' }] })).toEqual([{ path: 'a[0].b', message: expect.stringContaining('surrogate') }]);
    expect(findInBody({ ['k\u0000']: 1 })).toEqual([{ path: 'k?', message: expect.stringContaining('field name') }]);
    expect(findInBody({ ok: 'Überprüfung 😀', n: 1, nothing: null })).toEqual([]);
    expect(findInBody(undefined)).toEqual([]);
  });

  it('walks a deep body without recursion', () => {
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(findInBody(deep)).toHaveLength(1);
  });

  it('makes the attempted target and the justification safe to store', () => {
    expect(sanitisedTarget('/v1/lines/SEC%00x')).toBe('/v1/lines/SEC%00x');
    expect(sanitisedTarget(Buffer.from([0x2f, 0x61, 0x00, 0xff]).toString('latin1'))).toBe('/a%00%FF');
    expect(sanitisedHeaderValue(Buffer.from('Überprüfung').toString('latin1'))).toBe('Überprüfung');
    expect(sanitisedHeaderValue(Buffer.from([0x61, 0xed, 0xa0, 0x80]).toString('latin1'))).toBe('a\\xed\\xa0\\x80');
    expect(sanitisedHeaderValue(undefined)).toBeNull();
  });
});
