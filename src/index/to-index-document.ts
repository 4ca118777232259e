import { createHash } from 'node:crypto';
import { canonicalKey } from '../scrapers/discover/canonical-url.js';
import { berlinBuckets } from '../scrapers/extract/dates/berlin-time.js';
import { isoToEpochMs } from '../scrapers/extract/dates/parse-date.js';
import type { ArticleRecord, IndexDocument } from '../pipeline/types.js';
import { aliasTerms } from './aliases.js';
import { germanSearchTerms } from './german-terms.js';

/** Meilisearch ids allow only [A-Za-z0-9_-]: a hash of the canonical URL, stable across runs. */
export function documentId(canonicalUrl: string): string {
  return createHash('sha256').update(canonicalKey(canonicalUrl)).digest('base64url').slice(0, 22);
}

/** Pure: ArticleRecord → the flat document Meilisearch stores. */
export function toIndexDocument(record: ArticleRecord): IndexDocument {
  const publishedMs = record.published ? isoToEpochMs(record.published.value) : undefined;
  const buckets = publishedMs === undefined || Number.isNaN(publishedMs) ? undefined : berlinBuckets(publishedMs);
  const id = documentId(record.canonicalUrl);
  const imageCaptions = record.images.map((image) => image.caption).filter((caption): caption is string => Boolean(caption));
  return {
    id,
    storyId: id,
    url: record.url,
    canonicalUrl: record.canonicalUrl,
    site: record.site,
    headline: record.headline.value,
    kicker: record.kicker?.value ?? null,
    lead: record.lead ?? null,
    body: record.paragraphs.join('\n\n'),
    dateline: record.dateline ? `${record.dateline.place} (${record.dateline.agency})` : null,
    place: record.dateline?.place ?? null,
    agency: record.dateline?.agency ?? null,
    publishedAt: buckets ? Math.floor(publishedMs! / 1000) : null,
    publishedIso: record.published?.value ?? null,
    publishedSource: record.published?.source ?? null,
    day: buckets?.day ?? null,
    week: buckets?.week ?? null,
    month: buckets?.month ?? null,
    imageCaptions,
    imageCredits: record.images.map((image) => image.credit).filter((credit): credit is string => Boolean(credit)),
    tags: record.tags ?? [],
    searchTerms: [
      germanSearchTerms([record.kicker?.value, record.headline.value, ...record.paragraphs, ...imageCaptions]),
      aliasTerms([record.kicker?.value, record.headline.value, ...record.paragraphs]),
    ].filter(Boolean).join(' '),
    fetchedAt: record.fetchedAt,
    warcFile: record.archive?.warcFile ?? null,
    warcOffset: record.archive?.offset ?? null,
    payloadDigest: record.archive?.payloadDigest ?? null,
  };
}
