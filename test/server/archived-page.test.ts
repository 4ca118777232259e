import { describe, expect, it } from 'vitest';
import { decodeCapture, sanitiseArchivedPage } from '../../src/server/archived-page.js';

const capture = { url: 'https://portal.example/a/b.html', date: '2024-05-01T10:00:00Z' };

describe('archived page sanitiser', () => {
  it('drops scripts, handlers, frames, refreshes and script URLs but keeps the text', () => {
    const html = sanitiseArchivedPage(
      `<html><head><script src="x.js"></script><meta http-equiv="refresh" content="0;url=/"></head>
       <body onload="x()"><h1 onclick="y()">Kreis <b>lahmgelegt</b></h1><img src="javascript:alert(1)" onerror="z()">
       <a href="JaVaScRiPt:alert(2)">a</a><a href=" /c.html">c</a><object data="x.swf"></object><svg><script>1</script></svg>
       <form action="javascript:1"><button formaction="data:text/html,x">b</button></form></body></html>`,
      capture,
    );
    expect(html).not.toMatch(/script|onload|onclick|onerror|http-equiv|<object|javascript:|data:text/i);
    expect(html).toContain('<h1>Kreis <b>lahmgelegt</b></h1>');
    expect(html).toContain('href="https://portal.example/c.html"');
    expect(html).toContain('Archivierte Kopie (Chronik, aus dem WARC-Archiv) von https://portal.example/a/b.html');
  });

  it('decodes the capture in the charset its HTTP header declares, else its meta tag', () => {
    const latin1 = Uint8Array.from([...'<p>Gr'].map((c) => c.charCodeAt(0)).concat([0xfc, 0xdf, 0x65]));
    expect(decodeCapture({ headers: { 'content-type': 'text/html; charset=ISO-8859-1' }, body: latin1 })).toBe('<p>Grüße');
    const meta = new TextEncoder().encode('<meta charset="iso-8859-1"><p>Gr');
    expect(decodeCapture({ headers: {}, body: Uint8Array.from([...meta, 0xfc, 0xdf, 0x65]) })).toContain('Grüße');
    expect(decodeCapture({ headers: { 'content-type': 'text/html; charset=bogus' }, body: new TextEncoder().encode('Grüße') })).toBe('Grüße');
  });
});
