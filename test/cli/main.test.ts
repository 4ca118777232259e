import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { captureIo, writeConfig } from '../helpers/cli-io.js';
import { closedPort } from '../helpers/ports.js';

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/robots.txt') return response.writeHead(404).end();
    if (request.url === '/feed.pdf') return response.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4');
    response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Nicht gefunden</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});


function meiliEnv(): NodeJS.ProcessEnv {
  const meili = inject('meili');
  return { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey };
}

const indexLine = () => `index:\n  name: cli-${randomUUID().slice(0, 8)}`;

describe('chronik CLI failures: one clear line, non-zero exit, no stack trace', () => {
  it('names every unreachable source on its own line', async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    const dir = await writeConfig([`http://127.0.0.1:${a}/eins.html`, `http://127.0.0.1:${b}/zwei.html`], indexLine());
    const io = captureIo(meiliEnv(), dir);
    const status = await main(['crawl'], io);
    expect(status).toBe(EXIT.failed);
    const failures = io.err().split('\n').filter((line) => line.startsWith('source failed:'));
    expect(failures).toHaveLength(2);
    expect(failures[0]).toContain(`127.0.0.1:${a}/eins.html: unreachable (ECONNREFUSED)`);
    expect(io.err()).toContain('No source could be fetched');
    expect(io.err()).not.toMatch(/\n\s+at /);
  });

  it('reports a 404 seed and a non-HTML seed', async () => {
    const dir = await writeConfig([`${origin}/fehlt.html`, `${origin}/feed.pdf`], indexLine());
    const io = captureIo(meiliEnv(), dir);
    expect(await main(['crawl'], io)).toBe(EXIT.failed);
    expect(io.err()).toContain(`source failed: ${origin}/fehlt.html: HTTP 404`);
    expect(io.err()).toContain(`source failed: ${origin}/feed.pdf: not an HTML page (application/pdf)`);
  });

  it('says when the web page port is in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const dir = await writeConfig([`${origin}/x.html`], indexLine());
      const io = captureIo(meiliEnv(), dir);
      expect(await main(['serve', '--port', String(port)], io)).toBe(EXIT.failed);
      expect(io.err()).toContain(`\nchronik: port ${port} on 127.0.0.1 is in use; choose another with --port\n`);
      expect(io.err()).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('says when Meilisearch is not reachable', async () => {
    const dir = await writeConfig([`${origin}/x.html`]);
    const io = captureIo({ MEILI_URL: `http://127.0.0.1:${await closedPort()}` }, dir);
    expect(await main(['search', 'Führerschein'], io)).toBe(EXIT.failed);
    expect(io.err()).toMatch(/^chronik: Meilisearch at http:\/\/127\.0\.0\.1:\d+ is not reachable .*\n$/);
  });

  it('says when the bundled Meilisearch cannot start', async () => {
    const dir = await writeConfig([`${origin}/x.html`]);
    const io = captureIo({ MEILI_BINARY: '/bin/false' }, dir);
    const previous = process.env.MEILI_BINARY;
    process.env.MEILI_BINARY = '/bin/false'; // the launcher reads the process environment
    try {
      expect(await main(['search', 'x'], io)).toBe(EXIT.failed);
    } finally {
      if (previous === undefined) delete process.env.MEILI_BINARY;
      else process.env.MEILI_BINARY = previous;
    }
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toMatch(/^chronik: .*Meilisearch/);
  });

  it('names the config file and field of a wrong value', async () => {
    const dir = await writeConfig([`${origin}/x.html`], 'archive:\n  maxFileBytes: viele');
    const io = captureIo({}, dir);
    expect(await main(['crawl'], io)).toBe(EXIT.failed);
    expect(io.err()).toMatch(/^chronik: \/.*chronik\.yaml: archive\.maxFileBytes: Invalid input: expected number, received string\n$/);
  });

  it('rejects a bad search flag as usage error', async () => {
    const dir = await writeConfig([`${origin}/x.html`]);
    const io = captureIo(meiliEnv(), dir);
    expect(await main(['search', 'x', '--from', '9.12.2021'], io)).toBe(EXIT.usage);
    expect(io.err()).toContain('--from');
  });
});
