import { iterateWarcFile, listWarcFiles, type ArchivedRecord } from '../archive/warc-reader.js';
import { RENDERED_DOM_TYPE } from './archive-rendered.js';
import type { TopicProfile } from '../config/schema.js';
import { describeError } from '../errors.js';
import type { ArticleIndex } from '../index/meili-client.js';
import { toIndexDocument } from '../index/to-index-document.js';
import { judgeArticle } from '../scrapers/discover/relevance.js';
import { extractArticle } from '../scrapers/extract/extract-article.js';
import { profilesWith } from '../scrapers/extract/profiles/registry.js';
import type { IndexDocument } from './types.js';


export interface ReindexSummary {
  files: number;
  responses: number;
  articles: number;
  onTopic: number;
  documents: number;
  /** Files that could not be read to the end; their readable records were used. */
  unreadable: Array<{ warcFile: string; message: string }>;
}

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;

/**
 * archive → extract → judge → documents, without the network. The same pure extraction and
 * the same topic decision as the crawl, so the documents are the crawl's documents; when an
 * article was archived several times, its latest version wins, as in the crawl.
 */
export async function collectDocumentsFromArchive(archiveDir: string, topic: TopicProfile, profilesDir?: string): Promise<{ documents: IndexDocument[]; summary: ReindexSummary }> {
  const profiles = profilesWith(profilesDir);
  const latest = new Map<string, IndexDocument>();
  const summary: ReindexSummary = { files: 0, responses: 0, articles: 0, onTopic: 0, documents: 0, unreadable: [] };
  for (const warcFile of await listWarcFiles(archiveDir)) {
    summary.files += 1;
    try {
      for await (const record of iterateWarcFile(archiveDir, warcFile)) {
        const page = asHtmlPage(record);
        if (!page) continue;
        summary.responses += 1;
        const outcome = extractArticle({ body: record.body, url: record.url, headers: page.headers, fetchedAt: record.date, profiles });
        if (outcome.kind !== 'article') continue;
        summary.articles += 1;
        if (!judgeArticle(topic, outcome.record).isOnTopic) continue;
        summary.onTopic += 1;
        const document = toIndexDocument({ ...outcome.record, archive: record.ref });
        const known = latest.get(document.id);
        if (!known || known.fetchedAt <= document.fetchedAt) latest.set(document.id, document);
      }
    } catch (error) {
      summary.unreadable.push({ warcFile, message: describeError(error) });
    }
  }
  summary.documents = latest.size;
  return { documents: [...latest.values()], summary };
}

/**
 * The records that held pages the crawl extracted: 2xx HTML responses, and the DOM Chromium
 * rendered (resource records written by archive-rendered.ts).
 */
function asHtmlPage(record: ArchivedRecord): { headers: Record<string, string> } | undefined {
  if (record.type === 'resource') return record.warcContentType === RENDERED_DOM_TYPE ? { headers: { 'content-type': 'text/html; charset=utf-8' } } : undefined;
  if (record.type !== 'response' || record.status < 200 || record.status >= 300) return undefined;
  if (record.url.endsWith('/robots.txt') || !HTML_TYPES.test(record.headers['content-type'] ?? 'text/html')) return undefined;
  return { headers: record.headers };
}

/** Replaces the index's documents with those rebuilt from the archive. */
export async function reindexFromArchive(archiveDir: string, topic: TopicProfile, index: ArticleIndex, profilesDir?: string): Promise<ReindexSummary> {
  const { documents, summary } = await collectDocumentsFromArchive(archiveDir, topic, profilesDir);
  await index.deleteAllDocuments();
  for (let start = 0; start < documents.length; start += 500) await index.upsert(documents.slice(start, start + 500));
  return summary;
}
