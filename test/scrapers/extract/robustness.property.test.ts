import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractArticle, extractRecord, type ExtractInput } from '../../../src/scrapers/extract/extract-article.js';

/**
 * Robustness: mutated, truncated and re-encoded pages never make extraction throw or hang; each
 * input yields an article record or a clear reason why not.
 */
const PAGES = [
  `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Fähre fällt aus | Testblatt</title>
<meta property="article:published_time" content="2021-10-30T09:15:00+02:00">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"Fähre fällt aus","datePublished":"2021-10-30T09:15:00+02:00","author":[{"name":"Erika Muster"}]}]}</script>
</head><body><nav><a href="/">Start</a><a href="/regional">Regional</a></nav><article><h1><span class="kicker">Rügen:</span> Fähre fällt aus</h1>
<time datetime="2021-10-30T09:15:00+02:00">30.10.2021, 09:15 Uhr</time><p class="lead">Sassnitz (dpa/mv) - Wegen Sturms bleibt die Fähre heute im Hafen, teilte die Reederei mit.</p>
<figure><img src="/b/1.jpg"><figcaption>Die Fähre im Hafen. <span class="credit">Foto: Max Beispiel/dpa</span></figcaption></figure>
<div class="article-body"><p>Die Böen erreichten in der Nacht Orkanstärke, hieß es beim Wetterdienst. Reisende sollten sich auf Verspätungen einstellen.</p><h2>Wie geht es weiter?</h2><p>Am Sonntag soll der Betrieb nach Plan wieder aufgenommen werden, sofern der Wind nachlässt.</p></div>
<p class="copyright">© dpa-infocom GmbH</p></article><aside><h2>Weitere News</h2><ul><li><a href="/a">Anderes Thema</a></li></ul></aside><footer>Impressum</footer></body></html>`,
  `<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><title>Harbour closes after storm - Example Times</title></head>
<body><div id="main"><h1>Harbour closes after storm</h1><div class="byline">By Jane Doe, March 18, 2020 10:05 am</div>
<div class="story"><p>The harbour was closed on Tuesday, officials said, after waves damaged the outer wall and two piers.</p>
<p>Repairs are expected to take several weeks, according to the port authority, which has asked boat owners to stay away.</p>
<table><tr><td>Pier</td><td>Status</td></tr><tr><td>North</td><td>closed</td></tr></table></div>
<div class="comments"><p>Reader: terrible news!</p></div></div></body></html>`,
  `<div><p>Ohne Kopf und ohne Titel, nur ein Absatz mit etwas Text darin, vor 2 Stunden geschrieben.</p><br><br>Noch eine Zeile<br>und noch eine.</div>`,
];

const encoder = new TextEncoder();

function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from([...text].map((char) => (char.charCodeAt(0) < 256 ? char.charCodeAt(0) : 0x3f)));
}

function utf16le(text: string, bom: boolean): Uint8Array {
  const bytes: number[] = bom ? [0xff, 0xfe] : [];
  for (let i = 0; i < text.length; i++) bytes.push(text.charCodeAt(i) & 0xff, text.charCodeAt(i) >> 8);
  return Uint8Array.from(bytes);
}

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'tag'; at: number; tag: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 40 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({
    kind: fc.constant('tag' as const),
    at: fc.nat(),
    tag: fc.constantFrom('<p>', '</div>', '<article>', '<h1>', '<!--', '<script>', '<time datetime="2099-99-99">', '<table><tr><td>', ']]>', '<meta charset="utf-16">', '&#xD800;', '\u0000'),
  }),
);

function apply(bytes: Uint8Array, change: Mutation): Uint8Array {
  const at = bytes.length === 0 ? 0 : change.at % (bytes.length + 1);
  switch (change.kind) {
    case 'truncate':
      return bytes.subarray(0, at);
    case 'delete':
      return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + change.length)]);
    case 'insert':
      return Uint8Array.from([...bytes.subarray(0, at), ...change.bytes, ...bytes.subarray(at)]);
    case 'duplicate':
      return Uint8Array.from([...bytes.subarray(0, at + change.length), ...bytes.subarray(at)]);
    case 'tag':
      return Uint8Array.from([...bytes.subarray(0, at), ...encoder.encode(change.tag), ...bytes.subarray(at)]);
  }
}

const encoding = fc.constantFrom('utf-8', 'utf-8-bom', 'latin1', 'utf-16le-bom', 'utf-16le');
const contentType = fc.option(fc.constantFrom('text/html', 'text/html; charset=utf-8', 'text/html; charset=ISO-8859-1', 'text/html; charset=windows-1252', 'text/html; charset=bogus', 'text/html; charset=utf-16'), { nil: undefined });

function encode(text: string, how: string): Uint8Array {
  switch (how) {
    case 'utf-8-bom':
      return Uint8Array.from([0xef, 0xbb, 0xbf, ...encoder.encode(text)]);
    case 'latin1':
      return latin1Bytes(text);
    case 'utf-16le-bom':
      return utf16le(text, true);
    case 'utf-16le':
      return utf16le(text, false);
    default:
      return encoder.encode(text);
  }
}

describe('extraction on mutated, truncated and re-encoded pages', () => {
  it('never throws or hangs, and yields a record or a clear reason (1,000 cases)', () => {
    let slowest = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: PAGES.length - 1 }),
        encoding,
        contentType,
        fc.array(mutation, { maxLength: 6 }),
        (pageIndex, how, type, mutations) => {
          let bytes = encode(PAGES[pageIndex]!, how);
          for (const change of mutations) bytes = apply(bytes, change);
          const headers: Record<string, string> = type ? { 'content-type': type } : {};
          const input: ExtractInput = { body: bytes, url: 'https://example.org/2021/10/30/faehre.html', headers, fetchedAt: '2021-10-30T12:00:00Z' };
          const started = performance.now();
          const outcome = extractArticle(input);
          extractRecord(input);
          const elapsed = performance.now() - started;
          slowest = Math.max(slowest, elapsed);
          expect(elapsed).toBeLessThan(2_000);
          if (outcome.kind === 'article') {
            expect(outcome.record.headline.value.length).toBeGreaterThan(0);
            expect(Array.isArray(outcome.record.paragraphs)).toBe(true);
            expect(outcome.record.published?.value ?? '2021-10-30').toMatch(/^\d{4}-\d{2}-\d{2}/);
          } else {
            expect(outcome.reason).toMatch(/^(no headline found|only \d+ characters of body text)$/);
          }
        },
      ),
      { numRuns: 1_000, seed: 20211030 },
    );
    expect(slowest).toBeLessThan(2_000);
  }, 120_000);
});
