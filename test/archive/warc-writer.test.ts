import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WARCParser } from 'warcio';
import { describe, expect, it } from 'vitest';
import { readArchivedResponse } from '../../src/archive/warc-reader.js';
import { WarcWriter } from '../../src/archive/warc-writer.js';
import type { FetchResult } from '../../src/pipeline/types.js';

function exchange(url: string, body: string, headers: Record<string, string> = {}): FetchResult {
  return {
    requestedUrl: url, finalUrl: url, redirects: [], status: 200, statusText: 'OK',
    headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
    requestHeaders: { 'user-agent': 'Chronik-Test' },
    body: new TextEncoder().encode(body), fetchedAt: '2024-05-01T10:00:00.000Z', notModified: false,
  };
}

/** sha256 of the payload in WARC's base32 form (RFC 4648, padded). */
function sha256Base32(bytes: Uint8Array): string {
  const digest = createHash('sha256').update(bytes).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0, output = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += alphabet[(value << (5 - bits)) & 31];
  return output.padEnd(Math.ceil(output.length / 8) * 8, '='); // RFC 4648 padding

}

describe('WARC archive', () => {
  it('writes request and response records that warcio reads back byte for byte', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chronik-warc-'));
    const writer = new WarcWriter({ dir, maxFileBytes: 10_000_000 });
    const page = '<html><body><p>Schwerin (dpa/mv) - Grüße aus der Verwaltung.</p></body></html>';
    const ref = await writer.writeExchange(exchange('http://127.0.0.1:1/a.html', page));
    await writer.close();

    const [file] = await readdir(dir);
    expect(file).toMatch(/\.warc\.gz$/);
    const types: string[] = [];
    for await (const record of WARCParser.iterRecords([await readFile(path.join(dir, file!))])) {
      types.push(record.warcType ?? '');
      if (record.warcType === 'response') {
        const payload = await record.readFully(false);
        expect(new TextDecoder().decode(payload)).toBe(page);
        expect(record.warcPayloadDigest).toBe(`sha256:${sha256Base32(payload)}`);
        expect(record.httpHeaders?.statusCode).toBe(200);
      }
    }
    expect(types).toEqual(['warcinfo', 'request', 'response']);
    expect(ref.payloadDigest).toBe(`sha256:${sha256Base32(new TextEncoder().encode(page))}`);

    const archived = await readArchivedResponse(dir, ref);
    expect(new TextDecoder().decode(archived.body)).toBe(page);
    expect(archived.url).toBe('http://127.0.0.1:1/a.html');
  });

  it('keeps decoded bodies honest: original encodings move to x-archive-orig headers', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chronik-warc-'));
    const writer = new WarcWriter({ dir, maxFileBytes: 10_000_000 });
    const ref = await writer.writeExchange(exchange('http://127.0.0.1:1/g.html', 'plain', { 'content-encoding': 'gzip', 'content-length': '999' }));
    await writer.close();
    const archived = await readArchivedResponse(dir, ref);
    expect(archived.headers['content-encoding']).toBeUndefined();
    expect(archived.headers['x-archive-orig-content-encoding']).toBe('gzip');
    expect(archived.headers['content-length']).toBe('5');
  });

  it('rotates to a new file past the size limit, and every reference still points at its record', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chronik-warc-'));
    const writer = new WarcWriter({ dir, maxFileBytes: 2048 });
    const bodies = Array.from({ length: 6 }, (_, i) => `<p>${'Seite '.repeat(200)}${i}</p>`);
    // Concurrent writes must not interleave bytes or offsets.
    const refs = await Promise.all(bodies.map((body, i) => writer.writeExchange(exchange(`http://127.0.0.1:1/${i}.html`, body))));
    await writer.close();
    expect(new Set(refs.map((ref) => ref.warcFile)).size).toBeGreaterThan(1);
    for (const [i, ref] of refs.entries()) {
      const archived = await readArchivedResponse(dir, ref);
      expect(new TextDecoder().decode(archived.body)).toBe(bodies[i]);
    }
  });
});
