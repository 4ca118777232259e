import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { WarcWriter } from '../../src/archive/warc-writer.js';
import { openArticleIndex, type ArticleIndex } from '../../src/index/meili-client.js';
import { toIndexDocument } from '../../src/index/to-index-document.js';
import type { IndexDocument } from '../../src/pipeline/types.js';
import { createApp, listen } from '../../src/server/app.js';

/** Markup an attacker could put into a scraped page; it must stay text everywhere. */
export const XSS_HEADLINE = '<script>window.__xss = 1</script> Cyberangriff <img src=x onerror="window.__xss = 2">';
export const XSS_BODY = 'Wismar (dpa/mv) - Nach dem Cyberangriff <img src=x onerror=alert(3)> und <script>alert(4)</script> bleibt alles zu.';

interface Copy {
  site: string;
  slug: string;
  headline: string;
  body: string;
  published: string;
  place: string;
  storyOf?: string;
}

const STORIES: Copy[][] = [
  [
    { site: 'kurier.example', slug: 'angriff', headline: 'Cyberangriff legt Kreisverwaltung lahm', body: 'Schwerin (dpa/mv) - Ein Cyberangriff hat die Kreisverwaltung lahmgelegt. Die Bürgerbüros bleiben geschlossen.', published: '2021-10-15T11:42:00+02:00', place: 'Schwerin' },
    { site: 'post.example', slug: 'angriff-verwaltung', headline: 'Cyberangriff legt Kreisverwaltung lahm', body: 'Schwerin (dpa/mv) - Ein Cyberangriff hat die Kreisverwaltung lahmgelegt. Die Bürgerbüros bleiben geschlossen.', published: '2021-10-15T12:30:00+02:00', place: 'Schwerin' },
    { site: 'ticker.example', slug: '2021-10-15-angriff', headline: 'Kreisverwaltung nach Cyberangriff lahmgelegt', body: 'Schwerin (dpa/mv) - Ein Cyberangriff hat die Kreisverwaltung lahmgelegt.', published: '2021-10-15T14:05:00+02:00', place: 'Schwerin' },
  ],
  [
    { site: 'post.example', slug: 'buergerbueros', headline: 'Bürgerbüros bleiben nach Hackerangriff geschlossen', body: 'Parchim (dpa/mv) - Auch eine Woche nach dem Hackerangriff bleiben die Bürgerbüros zu.', published: '2021-10-22T09:00:00+02:00', place: 'Parchim' },
    { site: 'kurier.example', slug: 'buergerbueros-zu', headline: 'Bürgerbüros bleiben nach Hackerangriff geschlossen', body: 'Parchim (dpa/mv) - Auch eine Woche nach dem Hackerangriff bleiben die Bürgerbüros zu.', published: '2021-10-22T10:15:00+02:00', place: 'Parchim' },
  ],
  [{ site: 'kurier.example', slug: 'zulassung', headline: 'Zulassungsstelle öffnet nach dem Cyberangriff wieder', body: 'Schwerin (dpa/mv) - Autos können nach dem Cyberangriff wieder zugelassen werden.', published: '2021-12-01T08:00:00+01:00', place: 'Schwerin' }],
  [{ site: 'ticker.example', slug: 'loesegeld', headline: 'Täter fordern Lösegeld nach Cyberangriff', body: 'Schwerin (dpa/mv) - Die Täter des Cyberangriffs fordern ein Lösegeld.', published: '2022-02-10T16:20:00+01:00', place: 'Schwerin' }],
  [{ site: 'evil.example', slug: 'xss', headline: XSS_HEADLINE, body: XSS_BODY, published: '2022-03-05T10:00:00+01:00', place: 'Wismar' }],
];

/** The archived page of the XSS article: scripts, handlers and script URLs that must never run. */
export const XSS_PAGE = `<!doctype html><html><head><title>Echt</title><script>document.title = 'pwned'</script>
<meta http-equiv="refresh" content="0;url=javascript:alert(5)"><base href="https://evil.example/"></head>
<body onload="document.title = 'pwned'"><h1>${XSS_HEADLINE}</h1><p>${XSS_BODY}</p>
<a href="javascript:document.title='pwned'">klick</a><a href="/relativ.html">weiter</a>
<iframe srcdoc="<script>parent.document.title='pwned'</script>"></iframe><svg><script>document.title='pwned'</script></svg></body></html>`;

export interface TimelineWorld {
  base: string;
  index: ArticleIndex;
  archiveDir: string;
  documents: IndexDocument[];
  /** storyId → the copies of that story, oldest first. */
  stories: Map<string, IndexDocument[]>;
  close(): Promise<void>;
}

function pageOf(copy: Copy): string {
  if (copy.site === 'evil.example') return XSS_PAGE;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${copy.headline}</title></head><body><h1>${copy.headline}</h1><p>${copy.body}</p></body></html>`;
}

/** Archives and indexes the stories above (copies share the storyId of the first), then serves the app. */
export async function startTimelineWorld(): Promise<TimelineWorld> {
  const archiveDir = await mkdtemp(path.join(os.tmpdir(), 'chronik-web-archive-'));
  const writer = new WarcWriter({ dir: archiveDir, maxFileBytes: 10_000_000 });
  const documents: IndexDocument[] = [];
  const stories = new Map<string, IndexDocument[]>();
  for (const story of STORIES) {
    let storyId: string | undefined;
    for (const copy of story) {
      const url = `https://${copy.site}/${copy.slug}.html`;
      const archive = await writer.writeExchange({
        requestedUrl: url, finalUrl: url, redirects: [], status: 200, statusText: 'OK',
        headers: { 'content-type': 'text/html; charset=utf-8' }, requestHeaders: { 'user-agent': 'Chronik-Test' },
        body: new TextEncoder().encode(pageOf(copy)), fetchedAt: '2024-05-01T10:00:00.000Z', notModified: false,
      });
      const document = toIndexDocument({
        url, canonicalUrl: url, site: copy.site, headline: { value: copy.headline, source: 'markup' }, paragraphs: [copy.body],
        images: [], relatedLinks: [], fetchedAt: '2024-05-01T10:00:00Z', published: { value: copy.published, source: 'meta' },
        dateline: { place: copy.place, agency: 'dpa/mv' }, archive,
      });
      storyId ??= document.id;
      const indexed = { ...document, storyId };
      documents.push(indexed);
      stories.set(storyId, [...(stories.get(storyId) ?? []), indexed]);
    }
  }
  await writer.close();
  const index = openArticleIndex(inject('meili'), `test-web-${randomUUID().slice(0, 8)}`);
  await index.prepare();
  await index.upsert(documents);
  const webDir = path.resolve(import.meta.dirname, '../../web');
  const { server, url: base } = await listen(createApp({ index, webDir, archiveDir }), '127.0.0.1', 0);
  return { base, index, archiveDir, documents, stories, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
