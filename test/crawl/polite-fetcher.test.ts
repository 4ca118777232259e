import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarcWriter } from '../../src/archive/warc-writer.js';
import { crawlSchema } from '../../src/config/schema.js';
import { PoliteFetcher } from '../../src/pipeline/polite-fetcher.js';

let server: Server;
let origin: string;
const log: Array<{ path: string; at: number; ua: string | undefined }> = [];
let busyCount = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = request.url ?? '/';
    log.push({ path: url, at: Date.now(), ua: request.headers['user-agent'] });
    if (url === '/robots.txt') return response.end('User-agent: *\nDisallow: /privat/\n');
    if (url === '/busy' && ++busyCount === 1) return response.writeHead(503, { 'retry-after': '1' }).end('busy');
    if (url === '/weiter') return response.writeHead(302, { location: '/privat/x' }).end();
    response.writeHead(200, { 'content-type': 'text/html' }).end('<p>ok</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function fetcher(onRetry?: () => void): PoliteFetcher {
  return new PoliteFetcher({
    onRetry,
    crawl: crawlSchema.parse({ minDelayMs: 0, perHostConcurrency: 2, maxBackoffMs: 5000, userAgent: 'Chronik-Test (+http://127.0.0.1/about)' }),
    policy: { allowHosts: new Set(['127.0.0.1']), allowPrivateAddresses: true },
    archive: new WarcWriter({ dir: mkdtempSync(path.join(os.tmpdir(), 'chronik-pf-')), maxFileBytes: 1_000_000 }),
  });
}

describe('PoliteFetcher', () => {
  it('pauses the whole host after a 503 with Retry-After, then retries', async () => {
    let other: Promise<unknown> | undefined;
    // The other URL is asked for the moment the 503 has been read.
    const polite: PoliteFetcher = fetcher(() => void (other ??= polite.fetch(`${origin}/andere`)));
    const busy = polite.fetch(`${origin}/busy`);
    while (!other) await new Promise((resolve) => setTimeout(resolve, 10));
    const [busyResult] = await Promise.all([busy, other]);
    expect(busyResult.result.status).toBe(200);
    const first503 = log.find((entry) => entry.path === '/busy')!.at;
    const otherAt = log.find((entry) => entry.path === '/andere')!.at;
    expect(otherAt - first503).toBeGreaterThanOrEqual(900);
    expect(log.filter((entry) => entry.path !== '/robots.txt').every((entry) => entry.ua === 'Chronik-Test (+http://127.0.0.1/about)')).toBe(true);
  });

  it('refuses a redirect into a path robots.txt disallows, without requesting it', async () => {
    await expect(fetcher().fetch(`${origin}/weiter`)).rejects.toThrow(/privat\/x: disallowed by robots\.txt/);
    expect(log.some((entry) => entry.path === '/privat/x')).toBe(false);
  });
});
