import { JustificationError, decodeJustification } from './justification.header';

/** A header value as Node hands it over: each byte received as one Latin-1 character. */
const asReceived = (bytes: Buffer) => bytes.toString('latin1');
const utf8 = (text: string) => asReceived(Buffer.from(text, 'utf8'));

describe('decodeJustification', () => {
  it.each([
    ['plain ASCII', 'briefing for the Bath team', 'briefing for the Bath team'],
    ['raw UTF-8 bytes', utf8('Überprüfung – Fall 7'), 'Überprüfung – Fall 7'],
    ['raw UTF-8, four-byte characters', utf8('review 🚓'), 'review 🚓'],
    ['RFC 8187, UTF-8', "UTF-8''%C3%9Cberpr%C3%BCfung%20%E2%80%93%20Fall%207", 'Überprüfung – Fall 7'],
    ['RFC 8187, charset in lower case and a language', "utf-8'de'%C3%9Cberpr%C3%BCfung", 'Überprüfung'],
    ['RFC 8187, attr-chars kept as they are', "UTF-8''a!#$&+-.^_`|~z", 'a!#$&+-.^_`|~z'],
    ['RFC 8187 as encodeURIComponent writes it', `UTF-8''${encodeURIComponent("it's (needed)* – Prüfung")}`, "it's (needed)* – Prüfung"],
    ['a tab', 'case\t7', 'case\t7'],
  ])('given %s, then it is the text as written', (_name, header, expected) => {
    expect(decodeJustification(header)).toBe(expected);
  });

  it('given no header, then null', () => {
    expect(decodeJustification(undefined)).toBeNull();
  });

  it('given the header twice, then both values, as Node joins them', () => {
    expect(decodeJustification([utf8('Prüfung'), 'case 7'])).toBe('Prüfung, case 7');
  });

  it.each([
    ['bytes that are not UTF-8', asReceived(Buffer.from([0xff, 0xfe, 0x41]))],
    ['Latin-1 bytes (what a browser sends for ü)', asReceived(Buffer.from('Prüfung', 'latin1'))],
    ['an encoded surrogate (CESU-8)', asReceived(Buffer.from([0xed, 0xa0, 0x80]))],
    ['RFC 8187 with bytes that are not UTF-8', "UTF-8''%FF%FE"],
    ['RFC 8187 with a space', "UTF-8''two words"],
    ['RFC 8187 with a broken escape', "UTF-8''100%"],
    ['RFC 8187 decoding to a NUL', "UTF-8''a%00b"],
    ['RFC 8187 decoding to a line break', "UTF-8''a%0Ab"],
  ])('given %s, then INVALID_JUSTIFICATION', (_name, header) => {
    let thrown: unknown = null;
    try {
      decodeJustification(header);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(JustificationError);
    expect(thrown).toMatchObject({ code: 'INVALID_JUSTIFICATION', message: expect.stringContaining('X-Justification') });
  });
});
