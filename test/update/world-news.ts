import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { projectRoot, type RunningWorld } from '../../fixtures/server/serve-world.js';
import type { WorldArticle } from '../../fixtures/server/portals/common.js';
import { renderNordpostArticle } from '../../fixtures/server/portals/nordpost.js';
import { renderTickerArticle } from '../../fixtures/server/portals/ticker-mv.js';
import { loadWorldContent, resolveWorld } from '../../fixtures/server/world-model.js';
import { main } from '../../src/cli/main.js';
import type { ExitStatus } from '../../src/cli/exit-codes.js';
import { captureIo } from '../helpers/cli-io.js';
import { defaultTopic } from '../crawl/helpers.js';

/**
 * What the update tests publish into a running fixture world: two new Nordpost articles (own
 * text), a Ticker MV copy of a story so far only on Nordpost (same dpa text, ticker layout), and a
 * new version of a Ticker MV article. Feeds list the new and the changed pages, as real portals do.
 */
/** All portals run: the feeds' articles link across them. */
export const PORTALS = ['kuestenkurier', 'nordpost', 'ticker-mv', 'havelblick', 'elbe-anzeiger'];

export interface PageRef {
  portal: string;
  path: string;
}

export interface WorldNews {
  added: PageRef[];
  /** The ticker copy of a known story, and that story's Nordpost copy. */
  syndicated: { copy: PageRef; knownCopy: PageRef };
  changed: PageRef & { newSentence: string };
}

/** Feeds and sitemaps only: what a cron update re-checks. */
export function updateSources(world: RunningWorld): Array<{ url: string; kind: string }> {
  return [
    { url: world.url('nordpost', '/feed/mv.rss'), kind: 'feed' },
    { url: world.url('nordpost', '/sitemap.xml'), kind: 'sitemap' },
    { url: world.url('ticker-mv', '/feed.atom'), kind: 'feed' },
  ];
}

/** A folder with chronik.yaml for the given world and index (or rewrites it in `dir`); crawl options override the defaults. */
export function writeUpdateConfig(world: RunningWorld, indexName: string, crawl: Record<string, unknown> = {}, dir = mkdtempSync(path.join(os.tmpdir(), 'chronik-update-'))): string {
  const config = {
    sources: updateSources(world),
    topic: defaultTopic(),
    crawl: { allowPrivateAddresses: true, minDelayMs: 0, timeoutMs: 10_000, concurrency: 4, perHostConcurrency: 2, maxBackoffMs: 200, render: { auto: false }, ...crawl },
    index: { name: indexName },
  };
  writeFileSync(path.join(dir, 'chronik.yaml'), stringify(config));
  return dir;
}

/** `chronik <args>` in this process against the given Meilisearch. */
export async function runChronik(dir: string, args: string[], meili: { url: string; apiKey: string }): Promise<{ status: ExitStatus; out: string; err: string }> {
  const io = captureIo({ MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey }, dir);
  const status = await main(args, io);
  return { status, out: io.out(), err: io.err() };
}

function worldArticles(): WorldArticle[] {
  return resolveWorld(loadWorldContent(projectRoot()));
}

/** storyId only picks the Nordpost tags (keywords) of a related fixture story; the text is new. */
function ownArticle(id: string, storyId: string, headline: string, publishedLocal: string, lead: string, paragraphs: string[], related: WorldArticle[]): WorldArticle {
  return {
    portal: 'nordpost', id, storyId, onTopic: true, path: `/artikel/${id}/${headline.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.html`,
    kicker: 'Nach dem Cyberangriff', headline, teaser: paragraphs[0]!.slice(0, 120), publishedLocal, modifiedLocal: null, lead, paragraphs,
    image: { alt: 'Verwaltungsgebäude in Schwerin', caption: 'Das Verwaltungsgebäude in Schwerin', credit: 'Foto: Jens Büttner/dpa' },
    author: null, related: related.map((a) => ({ portal: a.portal, path: a.path, kicker: a.kicker, headline: a.headline })),
  };
}

/** Berlin wall-clock time "YYYY-MM-DDTHH:mm" of an instant. */
function berlinLocal(ms: number): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(ms).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** Publishes the news into the world (call once per world). */
export function publishNews(world: RunningWorld): WorldNews {
  const all = worldArticles();
  const nordpost = all.filter((a) => a.portal === 'nordpost' && a.onTopic);
  const tickerStories = new Set(all.filter((a) => a.portal === 'ticker-mv').map((a) => a.storyId));

  // 1 and 2: new Nordpost reports, written for these tests; one from today (a "recent" article).
  const audit = ownArticle(
    '5100001', 's-kosten-2022-03-29', 'Rechnungshof prüft die Folgen des Hackerangriffs', '2022-05-12T09:15',
    'Schwerin (dpa/mv) - Der Landesrechnungshof nimmt die Ausgaben nach dem Hackerangriff auf den Kommunalservice Mecklenburg (KSM) unter die Lupe.',
    [
      'Die Prüfer wollen wissen, wie viel Geld der Landkreis Ludwigslust-Parchim und die Stadt Schwerin für den Notbetrieb und den Neuaufbau der Technik ausgegeben haben.',
      'Nach Angaben einer Sprecherin sollen auch die Verträge mit externen Dienstleistern angesehen werden, die nach dem Cyberangriff kurzfristig beauftragt worden waren.',
      'Ein Ergebnis wird für den Herbst erwartet. Die Kreisverwaltung kündigte an, alle Unterlagen offen zu legen.',
    ],
    nordpost.slice(0, 2),
  );
  const drill = ownArticle(
    '5100002', 's-it-personal-2022-11-22', 'Verwaltung probt den Ernstfall nach Cyberangriff', berlinLocal(Date.now() - 3_600_000),
    'Ludwigslust (dpa/mv) - Gut zwei Jahre nach dem Cyberangriff auf die kommunale IT hat die Kreisverwaltung Ludwigslust-Parchim einen Ausfall aller Rechner durchgespielt.',
    [
      'Bei der Übung arbeiteten die Bürgerbüros einen Vormittag lang nur mit Papierformularen und Telefonlisten, wie nach dem Angriff im Oktober 2021.',
      'Der Landrat sagte, die Abläufe für den Notbetrieb seien inzwischen aufgeschrieben und jedem Amt bekannt. Die Sicherungskopien lägen getrennt vom Netz.',
      'Auch die Stadt Schwerin will im kommenden Jahr eine solche Übung abhalten.',
    ],
    nordpost.slice(2, 3),
  );
  for (const article of [audit, drill]) {
    world.publish('nordpost', article.path, renderNordpostArticle(article), { feedEntry: { title: article.headline } });
  }

  // 3: a copy of a Nordpost story that Ticker MV never carried, in the ticker's layout.
  const known = nordpost.find((a) => !tickerStories.has(a.storyId) && a.paragraphs.length >= 3);
  if (!known) throw new Error('no Nordpost story without a ticker copy');
  const [y, m, d] = known.publishedLocal.slice(0, 10).split('-');
  const copy: WorldArticle = { ...known, portal: 'ticker-mv', id: `ticker-${known.id}`, path: `/meldung/${y}/${m}/${d}/nachgereicht-${known.id}.html`, kicker: null, teaser: null, related: [] };
  world.publish('ticker-mv', copy.path, renderTickerArticle(copy), { feedEntry: { title: copy.headline } });

  // 4: a new version of a ticker report: one paragraph added, "Aktualisiert" stamp.
  const original = all.find((a) => a.portal === 'ticker-mv' && a.onTopic && a.path.includes('/2022/09/21/'));
  if (!original) throw new Error('ticker report of 2022-09-21 missing from the fixture world');
  const newSentence = 'Die Staatsanwaltschaft Rostock teilte am Abend mit, dass ein weiterer Verdächtiger im Ausland ermittelt worden sei.';
  const changed: WorldArticle = { ...original, paragraphs: [...original.paragraphs, newSentence], modifiedLocal: original.publishedLocal.slice(0, 11) + '19:40' };
  world.update('ticker-mv', original.path, renderTickerArticle(changed), { feedEntry: { title: original.headline } });

  return {
    added: [{ portal: 'nordpost', path: audit.path }, { portal: 'nordpost', path: drill.path }],
    syndicated: { copy: { portal: 'ticker-mv', path: copy.path }, knownCopy: { portal: 'nordpost', path: known.path } },
    changed: { portal: 'ticker-mv', path: original.path, newSentence },
  };
}

/** Article pages (not feeds, hubs or robots.txt) that got a 200 body in the given slice of the access log. */
export function articleBodiesServed(world: RunningWorld, fromIndex: number): string[] {
  return world.accessLog
    .slice(fromIndex)
    .filter((entry) => entry.status === 200 && /^\/(artikel|meldung)\//.test(entry.path))
    .map((entry) => `${entry.portal} ${entry.path.split('?')[0]}`)
    .sort();
}

/** Serves a ticker report again with new bytes (an ad comment) but the same text, listed as updated; returns its page. */
export function touchWithoutChange(world: RunningWorld): PageRef {
  const article = worldArticles().find((a) => a.portal === 'ticker-mv' && a.onTopic && a.path.includes('/2021/11/02/'));
  if (!article) throw new Error('ticker report of 2021-11-02 missing from the fixture world');
  world.update('ticker-mv', article.path, `${renderTickerArticle(article)}<!-- Anzeige ${Date.now()} -->\n`, { feedEntry: { title: article.headline } });
  return { portal: 'ticker-mv', path: article.path };
}
