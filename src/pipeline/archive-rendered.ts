import type { WarcWriter } from '../archive/warc-writer.js';
import type { ArchiveRef, FetchResult } from './types.js';

/**
 * Archives the DOM Chromium rendered for a fetched page, so the evidence for an article that
 * only exists after JavaScript ran is in the archive too (and `chronik reindex` rebuilds it).
 * Stored as one more exchange for the same URL, marked by X-Chronik-Rendered; the raw response
 * was archived before. (A WARC "conversion" record would be the exact type; the writer only
 * writes request/response pairs so far.)
 */
export async function archiveRendered(archive: WarcWriter, raw: FetchResult, html: string): Promise<{ result: FetchResult; archiveRef: ArchiveRef }> {
  const result: FetchResult = {
    ...raw,
    requestedUrl: raw.finalUrl,
    redirects: [],
    status: 200,
    statusText: 'OK',
    headers: { 'content-type': 'text/html; charset=utf-8', 'x-chronik-rendered': 'chromium' },
    requestHeaders: { ...raw.requestHeaders, 'x-chronik-render': 'chromium (playwright)' },
    body: new TextEncoder().encode(html),
    fetchedAt: new Date().toISOString(),
    notModified: false,
  };
  return { result, archiveRef: await archive.writeExchange(result) };
}
