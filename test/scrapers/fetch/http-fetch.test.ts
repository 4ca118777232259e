import { createServer, type Server } from 'node:http';
import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchUrl, type FetchOptions } from '../../../src/scrapers/fetch/http-fetch.js';
import { isPrivateAddress } from '../../../src/scrapers/fetch/url-guard.js';

const GERMAN = Buffer.from('<p>Schwerin (dpa/mv) - Die Zulassungsstelle öffnet wieder; Führerscheine können beantragt werden.</p>');

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/ok') return response.end('<p>ok</p>');
    if (path === '/hop1') return response.writeHead(301, { location: '/hop2' }).end();
    if (path === '/hop2') return response.writeHead(302, { location: '/ok' }).end();
    if (path === '/loop-a') return response.writeHead(302, { location: '/loop-b' }).end();
    if (path === '/loop-b') return response.writeHead(302, { location: '/loop-a' }).end();
    if (path === '/away') return response.writeHead(302, { location: 'http://elsewhere.invalid/x' }).end();
    if (path === '/slow') return void setTimeout(() => response.end('late'), 2000);
    if (path === '/big') return response.end('x'.repeat(50_000));
    if (path === '/gzip') return response.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(GERMAN));
    if (path === '/br') return response.writeHead(200, { 'content-encoding': 'br' }).end(brotliCompressSync(GERMAN));
    if (path === '/deflate-raw') return response.writeHead(200, { 'content-encoding': 'deflate' }).end(deflateRawSync(GERMAN));
    if (path === '/bomb') return response.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(1_000_000)));
    if (path === '/cut') {
      response.writeHead(200, { 'content-length': '1000' });
      response.write('x'.repeat(100));
      return void setTimeout(() => response.socket?.destroy(), 20);
    }
    if (path === '/echo-encoding') return response.end(String(request.headers['accept-encoding']));
    if (path === '/conditional') {
      if (request.headers['if-none-match'] === '"v1"') return response.writeHead(304).end();
      return response.writeHead(200, { etag: '"v1"' }).end('body');
    }
    response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>weg</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function options(overrides: Partial<FetchOptions> = {}): FetchOptions {
  return {
    userAgent: 'Chronik-Test',
    timeoutMs: 1000,
    maxBodyBytes: 10_000,
    policy: { allowHosts: new Set(['127.0.0.1']), allowPrivateAddresses: true },
    ...overrides,
  };
}

describe('fetching', () => {
  it('follows a redirect chain and records every hop', async () => {
    const result = await fetchUrl(`${origin}/hop1`, options());
    expect(result.status).toBe(200);
    expect(result.finalUrl).toBe(`${origin}/ok`);
    expect(result.redirects).toEqual([`${origin}/hop1`, `${origin}/hop2`]);
    expect(result.requestHeaders['user-agent']).toBe('Chronik-Test');
  });

  it('returns a 404 as a result, not an exception', async () => {
    const result = await fetchUrl(`${origin}/missing`, options());
    expect(result.status).toBe(404);
  });

  it('stops a redirect loop with a clear error', async () => {
    await expect(fetchUrl(`${origin}/loop-a`, options())).rejects.toMatchObject({ code: 'FETCH_FAILED', userMessage: expect.stringContaining('redirect loop') });
  });

  it('checks every redirect hop against the allow-list', async () => {
    await expect(fetchUrl(`${origin}/away`, options())).rejects.toMatchObject({ code: 'URL_REFUSED', userMessage: expect.stringContaining('elsewhere.invalid') });
  });

  it('refuses loopback addresses unless allowed', async () => {
    const policy = { allowHosts: new Set(['127.0.0.1']), allowPrivateAddresses: false };
    await expect(fetchUrl(`${origin}/ok`, options({ policy }))).rejects.toMatchObject({ code: 'URL_REFUSED' });
  });

  it('times out a slow answer', async () => {
    await expect(fetchUrl(`${origin}/slow`, options({ timeoutMs: 200 }))).rejects.toMatchObject({ code: 'FETCH_TIMEOUT' });
  });

  it('refuses a body over the size limit', async () => {
    await expect(fetchUrl(`${origin}/big`, options())).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
  });

  it('sends stored validators and reports 304 as not modified', async () => {
    const first = await fetchUrl(`${origin}/conditional`, options());
    const second = await fetchUrl(`${origin}/conditional`, options({ etag: first.headers.etag }));
    expect(second.status).toBe(304);
    expect(second.notModified).toBe(true);
    expect(second.requestHeaders['if-none-match']).toBe('"v1"');
  });

  it('asks for compressed answers and stores the page\'s own bytes (gzip, br, raw deflate)', async () => {
    for (const path of ['/gzip', '/br', '/deflate-raw']) {
      const result = await fetchUrl(`${origin}${path}`, options());
      expect(Buffer.from(result.body).equals(GERMAN), path).toBe(true);
    }
    const echoed = await fetchUrl(`${origin}/echo-encoding`, options());
    expect(new TextDecoder().decode(echoed.body)).toBe('gzip, deflate, br');
    expect(echoed.requestHeaders['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('applies the size limit to the decoded body (a small gzip of a megabyte of zeros)', async () => {
    await expect(fetchUrl(`${origin}/bomb`, options())).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
  });

  it('reports an answer cut off before its Content-Length as a failure to retry', async () => {
    await expect(fetchUrl(`${origin}/cut`, options())).rejects.toMatchObject({ code: 'FETCH_FAILED', action: 'retry-later' });
  });

  it('sends a request again when the kept-alive connection it reused after a pause was closed by the server', async () => {
    // Serves the first request of each connection and drops the connection at the second, as a
    // server does whose keep-alive timeout ends just as the connection is reused.
    const seen: number[] = [];
    const sockets = new Set<Socket>();
    const dropping = createNetServer((socket) => {
      sockets.add(socket);
      let requests = 0;
      socket.on('data', () => {
        requests += 1;
        seen.push(requests);
        if (requests === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
        else socket.destroy();
      });
    });
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(dropping.address() as AddressInfo).port}/`;
      expect((await fetchUrl(url, options())).status).toBe(200);
      // Idle for a while, as between two polite requests to one host.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const again = await fetchUrl(url, options());
      expect(again.status).toBe(200);
      expect(new TextDecoder().decode(again.body)).toBe('ok');
      expect(seen).toEqual([1, 2, 1]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => dropping.close(resolve));
    }
  });

  it('reports a closed port as unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(fetchUrl(`http://127.0.0.1:${port}/`, options())).rejects.toMatchObject({ code: 'FETCH_FAILED', userMessage: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('private addresses', () => {
  it.each([
    ['127.0.0.1', true], ['10.1.2.3', true], ['172.20.0.1', true], ['192.168.1.1', true], ['169.254.1.1', true],
    ['::1', true], ['fd00::1', true], ['fe80::1', true], ['::ffff:127.0.0.1', true],
    ['93.184.216.34', false], ['2606:4700::1', false], ['172.32.0.1', false],
  ])('%s is private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
