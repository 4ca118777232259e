import { describe, expect, it } from 'vitest';
import { documentFingerprint, updateVerdict } from '../../src/pipeline/crawl-update.js';
import type { IndexDocument } from '../../src/pipeline/types.js';

const now = Date.parse('2026-03-10T12:00:00Z');
const rules = { nowMs: now, recheckRecentDays: 3 };
const article = { outcome: 'on-topic', fetchedAt: '2026-03-01T10:00:00.000Z', publishedAt: '2021-10-20T08:00:00.000Z', lastModified: 'Mon, 01 Mar 2026 09:00:00 GMT' };

describe('which found links an update fetches again', () => {
  it('fetches a URL it never fetched', () => {
    expect(updateVerdict(undefined, undefined, rules)).toEqual({ fetch: true, why: 'new' });
  });

  it('retries a URL whose last fetch failed', () => {
    expect(updateVerdict({ outcome: 'failed', fetchedAt: article.fetchedAt }, undefined, rules)).toEqual({ fetch: true, why: 'retry' });
  });

  it('leaves a known old article alone when no listing says it changed', () => {
    expect(updateVerdict(article, undefined, rules)).toEqual({ fetch: false, why: 'known' });
    expect(updateVerdict(article, '2021-10-20T10:00:00+02:00', rules)).toEqual({ fetch: false, why: 'known' });
    expect(updateVerdict(article, 'kein Datum', rules)).toEqual({ fetch: false, why: 'known' });
  });

  it('re-checks an article that a listing dates after our last fetch (with slack for the server clock)', () => {
    expect(updateVerdict(article, '2026-03-02T08:00:00+01:00', rules)).toEqual({ fetch: true, why: 'changed' });
    expect(updateVerdict(article, '2026-03-01T09:55:00Z', rules)).toEqual({ fetch: true, why: 'changed' });
    expect(updateVerdict(article, '2026-03-01T09:45:00Z', rules)).toEqual({ fetch: false, why: 'known' });
    // The copy's own Last-Modified says nothing: a static file may predate its listing date.
    expect(updateVerdict({ ...article, lastModified: 'Sat, 01 Jun 2024 08:00:00 GMT' }, '2024-10-15T08:00:00+02:00', rules)).toEqual({ fetch: false, why: 'known' });
  });

  it('re-checks articles published within the recent days, whatever the listing says', () => {
    const recent = { ...article, publishedAt: '2026-03-08T12:00:00.000Z' };
    expect(updateVerdict(recent, undefined, rules)).toEqual({ fetch: true, why: 'recent' });
    expect(updateVerdict({ ...recent, publishedAt: '2026-03-07T11:59:00.000Z' }, undefined, rules)).toEqual({ fetch: false, why: 'known' });
    expect(updateVerdict(recent, undefined, { ...rules, recheckRecentDays: 0 })).toEqual({ fetch: false, why: 'known' });
  });

  it('re-checks hubs and listings (where new links appear), not plain pages', () => {
    expect(updateVerdict({ outcome: 'hub', fetchedAt: article.fetchedAt }, undefined, rules)).toEqual({ fetch: true, why: 'hub' });
    expect(updateVerdict({ outcome: 'listing', fetchedAt: article.fetchedAt }, undefined, rules)).toEqual({ fetch: true, why: 'hub' });
    expect(updateVerdict({ outcome: 'not-an-article', fetchedAt: article.fetchedAt }, undefined, rules)).toEqual({ fetch: false, why: 'known' });
    expect(updateVerdict({ outcome: 'http-404', fetchedAt: article.fetchedAt }, undefined, rules)).toEqual({ fetch: false, why: 'known' });
  });
});

describe('the fingerprint that tells a changed document from a re-fetched copy', () => {
  const document = {
    id: 'a1', storyId: 'a1', url: 'http://x/a', canonicalUrl: 'http://x/a', site: 'x', headline: 'Landkreis nach Cyberangriff im Notbetrieb', kicker: null, lead: null,
    body: 'Schwerin (dpa/mv) - Die Verwaltung arbeitet weiter mit Papier.', dateline: 'Schwerin', place: 'Schwerin', agency: 'dpa/mv',
    publishedAt: 1634284800, publishedIso: '2021-10-15T10:00:00+02:00', publishedSource: 'json-ld', day: '2021-10-15', week: '2021-W41', month: '2021-10',
    imageCaptions: [], imageCredits: [], searchTerms: '', fetchedAt: '2026-03-01T10:00:00.000Z', warcFile: 'a.warc.gz', warcOffset: 0, payloadDigest: 'sha1:AAA',
  } as IndexDocument;

  it('ignores where and when the copy was captured, and its story', () => {
    expect(documentFingerprint({ ...document, fetchedAt: '2026-03-02T10:00:00.000Z', warcFile: 'b.warc.gz', warcOffset: 999, payloadDigest: 'sha1:BBB', storyId: 'b7' })).toBe(documentFingerprint(document));
  });

  it('changes with the text, the headline or the date', () => {
    const base = documentFingerprint(document);
    expect(documentFingerprint({ ...document, body: `${document.body} Ein Satz mehr.` })).not.toBe(base);
    expect(documentFingerprint({ ...document, headline: 'Neue Überschrift' })).not.toBe(base);
    expect(documentFingerprint({ ...document, publishedAt: 1634288400 })).not.toBe(base);
  });
});
