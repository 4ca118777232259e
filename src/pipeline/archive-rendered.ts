import type { WarcWriter } from '../archive/warc-writer.js';
import type { ArchiveRef, FetchResult } from './types.js';

/** Content type of rendered-DOM resource records; reindex reads them as the page's HTML. */
export const RENDERED_DOM_TYPE = 'text/html; charset=utf-8; chronik=rendered-dom';

/**
 * Archives the DOM Chromium rendered for a fetched page as a WARC `resource` record that refers
 * to the raw response, so the evidence for an article that only exists after JavaScript ran is
 * in the archive too, and `chronik reindex` rebuilds it from there.
 */
export async function archiveRendered(
  archive: WarcWriter,
  raw: FetchResult,
  rawRef: ArchiveRef,
  html: string,
): Promise<{ result: FetchResult; archiveRef: ArchiveRef }> {
  const result: FetchResult = {
    ...raw,
    requestedUrl: raw.finalUrl,
    redirects: [],
    status: 200,
    statusText: 'OK',
    headers: { 'content-type': 'text/html; charset=utf-8', 'x-chronik-rendered': 'chromium' },
    body: new TextEncoder().encode(html),
    fetchedAt: new Date().toISOString(),
    notModified: false,
  };
  const archiveRef = await archive.writeResource({
    url: raw.finalUrl,
    date: result.fetchedAt,
    contentType: RENDERED_DOM_TYPE,
    body: result.body,
    refersTo: rawRef,
    note: 'DOM after rendering in Chromium (Playwright)',
  });
  return { result, archiveRef };
}
