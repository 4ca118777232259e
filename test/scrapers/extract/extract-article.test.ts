import { describe, expect, it } from 'vitest';
import { extractArticle, extractRecord, type ExtractInput } from '../../../src/scrapers/extract/extract-article.js';

const PARAGRAPHS = `<p>Die Gemeindevertretung hat am Abend lange über den neuen Radweg entlang der Landstraße beraten, der die beiden Ortsteile verbinden soll.</p>
<p>Nach Angaben des Bürgermeisters sollen die Bauarbeiten im Frühjahr beginnen, wenn die Fördermittel des Landes bewilligt sind.</p>`;

function input(html: string, url = 'https://zeitung.example/lokales/radweg.html'): ExtractInput {
  return { body: new TextEncoder().encode(html), url, headers: { 'content-type': 'text/html; charset=utf-8' }, fetchedAt: '2021-12-09T18:00:00Z', profiles: [] };
}

describe('extracting an article record', () => {
  it('takes datePublished from a JSON-LD @graph and says so', () => {
    const html = `<html><head><script type="application/ld+json">[{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","headline":"Radweg kommt","datePublished":"2021-12-09T14:35:00+01:00","dateModified":"2021-12-09T17:00:00+01:00","author":{"name":"Jana Beispiel"},"keywords":"Radweg, Verkehr"}]}]</script></head>
<body><article><h1>Radweg kommt</h1>${PARAGRAPHS}</article></body></html>`;
    const record = extractRecord(input(html))!;
    expect(record.published).toEqual({ value: '2021-12-09T14:35:00+01:00', source: 'json-ld' });
    expect(record.modified).toEqual({ value: '2021-12-09T17:00:00+01:00', source: 'json-ld' });
    expect(record.authors).toEqual(['Jana Beispiel']);
    expect(record.tags).toEqual(['Radweg', 'Verkehr']);
  });

  it('prefers the original publication over a later update printed first', () => {
    const html = `<html><body><article><h1>Radweg kommt</h1><div class="meta"><span>Aktualisiert: 10.12.2021, 08:00 Uhr</span></div>
<time datetime="2021-12-10T08:00:00+01:00" class="updated">10.12.2021</time><time datetime="2021-12-09T14:35:00+01:00" itemprop="datePublished">09.12.2021</time>${PARAGRAPHS}</article></body></html>`;
    const record = extractRecord(input(html))!;
    expect(record.published?.value.slice(0, 10)).toBe('2021-12-09');
    expect(record.modified?.value).toBe('2021-12-10T08:00:00+01:00');
  });

  it('reads a visible German date under the headline as Berlin time, with provenance "text"', () => {
    const html = `<html><body><h1>Radweg kommt</h1><p class="info">Veröffentlicht am 9. Dezember 2021, 14:35 Uhr</p>${PARAGRAPHS}</body></html>`;
    expect(extractRecord(input(html))!.published).toEqual({ value: '2021-12-09T14:35:00+01:00', source: 'text' });
  });

  it('ignores the site clock in the page header and a <time> inside a quoted post', () => {
    const html = `<html><body><header><div class="navtop"><time datetime="2021-12-20T08:00:00+01:00">20.12.2021</time></div></header>
<article><h1>Radweg kommt</h1><p class="datum">09.12.2021, 14:35 Uhr</p>${PARAGRAPHS}<blockquote><p>Ein geteilter Beitrag</p><time datetime="2020-01-01T10:00:00+01:00">1.1.2020</time></blockquote></article></body></html>`;
    expect(extractRecord(input(html))!.published).toEqual({ value: '2021-12-09T14:35:00+01:00', source: 'text' });
  });

  it('lets a timed date printed on the page replace a bare metadata day one day later', () => {
    const html = `<html><head><meta name="date" content="2021-12-10"></head><body><article><h1>Radweg kommt</h1>
<time>09.12.2021, 23:10 Uhr</time>${PARAGRAPHS}</article></body></html>`;
    expect(extractRecord(input(html))!.published).toEqual({ value: '2021-12-09T23:10:00+01:00', source: 'time-element' });
  });

  it('falls back to the date in the URL', () => {
    const html = `<html><body><h1>Radweg kommt</h1>${PARAGRAPHS}</body></html>`;
    expect(extractRecord(input(html, 'https://zeitung.example/2021/12/09/radweg.html'))!.published).toEqual({ value: '2021-12-09', source: 'url' });
  });

  it('leaves a page without a date without a date, never the fetch time', () => {
    const html = `<html><body><h1>Radweg kommt</h1>${PARAGRAPHS}</body></html>`;
    const record = extractRecord(input(html))!;
    expect(record.published).toBeUndefined();
    expect(record.modified).toBeUndefined();
    expect(record.authors).toBeUndefined();
  });

  it('finds kicker, dateline, copyright and image credit', () => {
    const html = `<html lang="de"><body><article><h1><span class="kicker">Ludwigslust-Parchim:</span> Radweg kommt</h1>
<figure><img src="/b.jpg"><figcaption>Die Landstraße bei Parchim. <span class="credit">Foto: Erika Muster/dpa</span></figcaption></figure>
<p class="lead">Schwerin/Parchim (dpa/mv) - Der Radweg zwischen den Ortsteilen soll im Frühjahr gebaut werden, teilte der Landkreis mit.</p>${PARAGRAPHS}
<p class="copyright">© dpa-infocom GmbH</p></article></body></html>`;
    const record = extractRecord(input(html))!;
    expect(record.kicker?.value).toBe('Ludwigslust-Parchim');
    expect(record.headline.value).toBe('Radweg kommt');
    expect(record.dateline).toEqual({ place: 'Schwerin/Parchim', agency: 'dpa/mv' });
    expect(record.copyright).toBe('© dpa-infocom GmbH');
    expect(record.images[0]).toMatchObject({ caption: 'Die Landstraße bei Parchim.', credit: 'Foto: Erika Muster/dpa' });
    expect(record.paragraphs[0]).toMatch(/^Schwerin\/Parchim \(dpa\/mv\) -/);
    expect(record.paragraphs.join(' ')).not.toContain('©');
    expect(record.language).toBe('de');
  });

  it('reports a page with too little text as not an article, with the reason', () => {
    const outcome = extractArticle(input('<html><body><h1>Übersicht</h1><p>Kurz.</p></body></html>'));
    expect(outcome).toMatchObject({ kind: 'not-an-article', url: 'https://zeitung.example/lokales/radweg.html' });
    expect(outcome.kind === 'not-an-article' && outcome.reason).toMatch(/^only \d+ characters of body text$/);
  });
});
