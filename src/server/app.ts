import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ChronikError, describeError } from '../errors.js';
import type { ArticleIndex } from '../index/meili-client.js';
import { runTimeline } from '../search/run-timeline.js';
import { timelineQuerySchema } from '../search/timeline-query.js';
import { formatIssues } from '../config/load.js';

export interface AppDependencies {
  index: ArticleIndex;
  /** Folder with index.html and the page's scripts. */
  webDir: string;
}

const STATIC_FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/style.css': 'style.css',
};
const STATIC_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
// The page renders scraped text only through textContent; the policy forbids every other script source anyway.
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Request in, response out: the HTTP API and the web page, without owning a port. */
export function createApp({ index, webDir }: AppDependencies): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/api/search') return sendJson(response, 200, await runTimeline(index, queryFromSearchParams(url.searchParams)));
      if (url.pathname === '/api/health') return sendJson(response, 200, { status: 'ok' });
      const file = STATIC_FILES[url.pathname];
      if (!file) return sendJson(response, 404, { error: `no such path: ${url.pathname}` });
      const body = await readFile(path.join(webDir, file));
      response.writeHead(200, {
        'content-type': STATIC_TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      });
      response.end(body);
    } catch (error) {
      const status = error instanceof ChronikError && error.code === 'USAGE' ? 400 : 502;
      sendJson(response, status, { error: describeError(error) });
    }
  };
}

/** URL query (?q=…&from=…&to=…&site=…&group=…&sort=…&limit=…&offset=…) → timeline query. */
export function queryFromSearchParams(params: URLSearchParams) {
  const number = (name: string) => (params.has(name) ? Number(params.get(name)) : undefined);
  const parsed = timelineQuerySchema.safeParse({
    text: params.get('q') ?? '',
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
    sites: params.getAll('site').filter(Boolean),
    group: params.get('group') || undefined,
    sort: params.get('sort') || undefined,
    limit: number('limit'),
    offset: number('offset'),
  });
  if (!parsed.success) throw new ChronikError('USAGE', formatIssues(parsed.error.issues));
  return parsed.data;
}

export async function listen(handler: ReturnType<typeof createApp>, host: string, port: number): Promise<{ server: Server; url: string }> {
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

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' });
  response.end(JSON.stringify(body));
}
