import { describe, expect, it } from 'vitest';
import { decodeHtml } from '../../../src/scrapers/extract/encoding.js';

const latin1 = (text: string) => Uint8Array.from([...text].map((char) => char.charCodeAt(0)));
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('decoding page bytes', () => {
  it('uses the charset of the HTTP header', () => {
    const decoded = decodeHtml(latin1('<p>Bürgerbüro</p>'), 'text/html; charset=ISO-8859-1');
    expect(decoded.text).toBe('<p>Bürgerbüro</p>');
    expect(decoded.evidence).toBe('http-header');
  });

  it('uses <meta charset> when the header has none', () => {
    const decoded = decodeHtml(latin1('<meta charset="windows-1252"><p>Führerschein</p>'), 'text/html');
    expect(decoded.text).toContain('Führerschein');
    expect(decoded.evidence).toBe('meta');
  });

  it('does not garble a UTF-8 page whose meta charset claims windows-1252', () => {
    const decoded = decodeHtml(utf8('<meta charset="windows-1252"><p>Straße in Güstrow</p>'), undefined);
    expect(decoded.text).toContain('Straße in Güstrow');
    expect(decoded.encoding).toBe('utf-8');
  });

  it('honours a byte-order mark over any declaration', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('<p>Ä</p>')]);
    expect(decodeHtml(bytes, 'text/html; charset=iso-8859-1').text).toBe('<p>Ä</p>');
  });

  it('falls back to windows-1252 for undeclared bytes that are not UTF-8', () => {
    expect(decodeHtml(latin1('<p>Grüße</p>'), undefined).text).toBe('<p>Grüße</p>');
  });
});
