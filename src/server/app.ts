import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readArchivedResponse } from '../archive/warc-reader.js';
import { ChronikError, describeError } from '../errors.js';
import type { ArticleIndex } from '../index/meili-client.js';
import { articleWithStory } from '../search/article.js';
import { EXPORT_TYPES, formatExport, type ExportFormat } from '../search/format-export.js';
import { collectTimeline, runTimeline } from '../search/run-timeline.js';
import { MAX_TOTAL_HITS } from '../search/timeline-query.js';
import { ARCHIVED_PAGE_POLICY, decodeCapture, sanitiseArchivedPage } from './archived-page.js';
import { queryFromSearchParams } from './query-params.js';

export { queryFromSearchParams } from './query-params.js';

export interface AppDependencies {
  index: ArticleIndex;
  /** Folder with index.html and the page's scripts. */
  webDir: string;
  /** Folder of the WARC files, for archived captures; without it those answer 404. */
  archiveDir?: string | undefined;
}

/** A capture is one gzip member; reading this much from its offset always covers it. */
const MAX_CAPTURE_BYTES = 20 * 1024 * 1024;
const STATIC_FILE = /^\/([a-z0-9-]+\.(?:js|css))$/;
const STATIC_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
// The page renders scraped text only through textContent; the policy forbids every other script source anyway.
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const EXPORT_FORMATS = new Set<ExportFormat>(['json', 'csv', 'md']);

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** Request in, response out: the HTTP API and the web page, without owning a port. */
export function createApp({ index, webDir, archiveDir }: AppDependencies): Handler {
  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { error: 'only GET' });
      const params = url.searchParams;
      switch (url.pathname) {
        case '/api/search': {
          const timing = startTiming(index);
          const result = await runTimeline(timing.index, queryFromSearchParams(params));
          return sendJson(response, 200, result, timing);
        }
        case '/api/facets': {
          const timing = startTiming(index);
          const { query, total, facets, processingTimeMs } = await runTimeline(timing.index, queryFromSearchParams(params, { limit: 0, offset: 0 }));
          return sendJson(response, 200, { query, total, facets, processingTimeMs }, timing);
        }
        case '/api/histogram': {
          const timing = startTiming(index);
          const result = await runTimeline(timing.index, queryFromSearchParams(params, { limit: 0, offset: 0 }));
          const { query, total, buckets, bucketsTruncated, processingTimeMs } = result;
          return sendJson(response, 200, { query, total, group: query.group, buckets, bucketsTruncated, processingTimeMs }, timing);
        }
        case '/api/export':
          return await sendExport(index, params, response);
        case '/api/health':
          return sendJson(response, 200, { status: 'ok' });
      }
      const article = /^\/api\/article\/([A-Za-z0-9_-]{1,64})(\/archived)?$/.exec(url.pathname);
      if (article) {
        return article[2] ? await sendArchived(index, archiveDir, article[1]!, response) : await sendArticle(index, article[1]!, response);
      }
      const file = url.pathname === '/' || url.pathname === '/index.html' ? 'index.html' : STATIC_FILE.exec(url.pathname)?.[1];
      if (!file) return sendJson(response, 404, { error: `no such path: ${url.pathname}` });
      const body = await readFile(path.join(webDir, file)).catch(() => undefined);
      if (!body) return sendJson(response, 404, { error: `no such path: ${url.pathname}` });
      response.writeHead(200, {
        'content-type': STATIC_TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-cache',
      });
      response.end(body);
    } catch (error) {
      const status = error instanceof ChronikError && error.code === 'USAGE' ? 400 : 502;
      sendJson(response, status, { error: describeError(error) });
    }
  };
}

async function sendArticle(index: ArticleIndex, id: string, response: ServerResponse): Promise<void> {
  const view = await articleWithStory(index, id);
  if (!view) return sendJson(response, 404, { error: `no article ${id}` });
  sendJson(response, 200, view);
}

/** The archived capture of an article, from its WARC record, sanitised and under a no-script sandbox. */
async function sendArchived(index: ArticleIndex, archiveDir: string | undefined, id: string, response: ServerResponse): Promise<void> {
  const document = await index.getDocument(id);
  if (!document) return sendJson(response, 404, { error: `no article ${id}` });
  if (!archiveDir || !document.warcFile || document.warcOffset === null) {
    return sendJson(response, 404, { error: `no archived capture of article ${id}` });
  }
  const capture = await readArchivedResponse(archiveDir, { warcFile: document.warcFile, offset: document.warcOffset, length: MAX_CAPTURE_BYTES });
  if (document.payloadDigest && capture.payloadDigest && capture.payloadDigest !== document.payloadDigest) {
    return sendJson(response, 409, { error: `the WARC record at ${document.warcFile}:${document.warcOffset} is not this article's capture` });
  }
  const html = sanitiseArchivedPage(decodeCapture(capture), { url: capture.url || document.url, date: capture.date });
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': ARCHIVED_PAGE_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  response.end(html);
}

/** Every hit of the query (up to ?max=, default all Meilisearch can page to) as a download. */
async function sendExport(index: ArticleIndex, params: URLSearchParams, response: ServerResponse): Promise<void> {
  const format = (params.get('format') ?? 'csv') as ExportFormat;
  if (!EXPORT_FORMATS.has(format)) throw new ChronikError('USAGE', 'format: one of json, csv, md');
  const max = params.get('max') ? Number(params.get('max')) : MAX_TOTAL_HITS;
  if (!Number.isInteger(max) || max < 1 || max > MAX_TOTAL_HITS) throw new ChronikError('USAGE', `max: a whole number from 1 to ${MAX_TOTAL_HITS}`);
  const query = queryFromSearchParams(params, { offset: 0 });
  const result = await collectTimeline(index, query, max);
  const stamp = new Date().toISOString().slice(0, 10);
  response.writeHead(200, {
    'content-type': EXPORT_TYPES[format],
    'content-disposition': `attachment; filename="chronik-${stamp}.${format}"`,
    'x-content-type-options': 'nosniff',
  });
  response.end(formatExport(result, format));
}

export async function listen(handler: Handler, host: string, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new ChronikError('PORT_IN_USE', `port ${port} on ${host} is in use; choose another with --port`)
          : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return { server, url: `http://${host}:${address.port}/` };
}

/**
 * Times one API request: `meili` is the wall time of its Meilisearch requests (HTTP included),
 * `app` the rest of the handler (parsing, reshaping, JSON). Sent as a Server-Timing header, so
 * what Chronik adds to Meilisearch's time can be told apart from the network in between.
 */
function startTiming(index: ArticleIndex): { index: ArticleIndex; header: () => Record<string, string> } {
  const started = performance.now();
  let meiliMs = 0;
  const timed: ArticleIndex = {
    ...index,
    async search(text, params) {
      const sent = performance.now();
      try {
        return await index.search(text, params);
      } finally {
        meiliMs += performance.now() - sent;
      }
    },
  };
  return {
    index: timed,
    header: () => ({ 'server-timing': `meili;dur=${meiliMs.toFixed(2)}, app;dur=${(performance.now() - started - meiliMs).toFixed(2)}` }),
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown, timing?: { header: () => Record<string, string> }): void {
  // With its length known the answer goes out in one piece, not as chunked transfer encoding.
  const json = Buffer.from(JSON.stringify(body));
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(json.byteLength),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    ...timing?.header(),
  });
  response.end(json);
}
