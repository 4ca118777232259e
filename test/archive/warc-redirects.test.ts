import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iterateWarcFile, listWarcFiles, redirectChain, type ArchivedRecord } from '../../src/archive/warc-reader.js';
import { base32, WarcWriter } from '../../src/archive/warc-writer.js';
import { crawlSchema } from '../../src/config/schema.js';
import { PoliteFetcher } from '../../src/pipeline/polite-fetcher.js';
import { FAULT_PORTAL, REDIRECT_TARGET, startWorld, type RunningWorld } from '../../fixtures/server/serve-world.js';

let world: RunningWorld;

beforeAll(async () => {
  world = await startWorld({ portals: [FAULT_PORTAL] });
});

afterAll(async () => {
  await world.close();
});

async function crawlOnce(url: string): Promise<{ dir: string; records: ArchivedRecord[]; finalRecordId: string; finalUrl: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chronik-warc-redirects-'));
  const archive = new WarcWriter({ dir, maxFileBytes: 10_000_000 });
  const fetcher = new PoliteFetcher({
    crawl: crawlSchema.parse({ minDelayMs: 0, respectRobotsTxt: false, userAgent: 'Chronik-Test (+http://127.0.0.1/about)' }),
    policy: { allowHosts: new Set(['127.0.0.1']), allowPrivateAddresses: true },
    archive,
  });
  const { result, archiveRef } = await fetcher.fetch(url);
  await archive.close();
  const records: ArchivedRecord[] = [];
  for (const file of await listWarcFiles(dir)) for await (const record of iterateWarcFile(dir, file)) records.push(record);
  return { dir, records, finalRecordId: archiveRef.recordId, finalUrl: result.finalUrl };
}

describe('WARC archive of redirects', () => {
  it('archives every redirect hop as its own request/response pair, chained to the final response', async () => {
    const start = world.url(FAULT_PORTAL, '/faults/redirect/start');
    const { records, finalRecordId, finalUrl } = await crawlOnce(start);
    expect(finalUrl).toBe(world.url(FAULT_PORTAL, REDIRECT_TARGET));

    const exchanges = records.filter((record) => record.type === 'request' || record.type === 'response');
    expect(exchanges.map((record) => `${record.type} ${record.status || ''} ${record.url}`.replace(/ +/g, ' '))).toEqual([
      `request ${start}`,
      `response 301 ${start}`,
      `request ${world.url(FAULT_PORTAL, '/faults/redirect/step-2')}`,
      `response 302 ${world.url(FAULT_PORTAL, '/faults/redirect/step-2')}`,
      `request ${world.url(FAULT_PORTAL, '/faults/redirect/step-3?utm_source=redirect')}`,
      `response 301 ${world.url(FAULT_PORTAL, '/faults/redirect/step-3?utm_source=redirect')}`,
      `request ${finalUrl}`,
      `response 200 ${finalUrl}`,
    ]);
    // Each 3xx keeps its Location: the archive alone shows where the server sent the crawler.
    const responses = exchanges.filter((record) => record.type === 'response');
    expect(responses.slice(0, 3).map((record) => record.headers.location)).toEqual([
      '/faults/redirect/step-2',
      world.url(FAULT_PORTAL, '/faults/redirect/step-3?utm_source=redirect'),
      REDIRECT_TARGET,
    ]);
    // Every request record names its response; the final response leads back through every hop.
    for (let i = 0; i < exchanges.length; i += 2) expect(exchanges[i]!.concurrentTo).toBe(exchanges[i + 1]!.ref.recordId);
    expect(responses[0]!.redirectedFrom).toBeUndefined();
    expect(redirectChain(records, finalRecordId).map((record) => record.url)).toEqual(responses.map((record) => record.url));
    expect(responses.at(-1)!.ref.recordId).toBe(finalRecordId);
  });

  it('writes a plain fetch as one pair, with digests of what is stored', async () => {
    const url = world.url(FAULT_PORTAL, REDIRECT_TARGET);
    const { dir, records, finalRecordId } = await crawlOnce(url);
    const response = records.find((record) => record.type === 'response')!;
    expect(records.map((record) => record.type)).toEqual(['warcinfo', 'request', 'response']);
    expect(response.ref.recordId).toBe(finalRecordId);
    expect(response.redirectedFrom).toBeUndefined();
    expect(redirectChain(records, finalRecordId)).toEqual([response]);
    expect(response.payloadDigest).toBe(`sha256:${base32(createHash('sha256').update(response.body).digest())}`);
    expect(new TextDecoder().decode(response.body)).toContain('<h1');
    // The block digest covers HTTP headers and payload, as stored: recompute it from the raw member.
    for (const record of records.filter((candidate) => candidate.type !== 'warcinfo')) {
      const member = readFileSync(path.join(dir, record.ref.warcFile)).subarray(record.ref.offset, record.ref.offset + record.ref.length);
      const raw = gunzipSync(member);
      const headerEnd = raw.indexOf('\r\n\r\n');
      const warcHeaders = raw.subarray(0, headerEnd).toString('utf8');
      const length = Number(/\r\nContent-Length: (\d+)/i.exec(warcHeaders)![1]);
      const block = raw.subarray(headerEnd + 4, headerEnd + 4 + length);
      expect(warcHeaders).toContain(`WARC-Block-Digest: sha256:${base32(createHash('sha256').update(block).digest())}`);
      expect(raw.subarray(headerEnd + 4 + length).toString()).toBe('\r\n\r\n');
    }
  });
});
