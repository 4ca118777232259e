import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot, readManifest, startWorld, type RunningWorld } from '../../fixtures/server/serve-world.js';
import { openArticleIndex } from '../../src/index/meili-client.js';
import type { IndexDocument } from '../../src/pipeline/types.js';

/**
 * `chronik crawl` as a real process, killed with SIGKILL at random points and resumed each
 * time, against an uninterrupted crawl of the same fixture portals: the same articles in the
 * index, and no finished page fetched twice.
 */
const PORTALS = ['kuestenkurier', 'nordpost', 'ticker-mv', 'elbe-anzeiger'];
const KILLS = 10;
const distDir = path.join(projectRoot(), 'test-output', 'crawl-dist');
const bin = path.join(distDir, 'src', 'cli', 'bin.js');
let world: RunningWorld;

beforeAll(async () => {
  // A private build, so the test never runs a stale dist/ and never disturbs it.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.json', '--outDir', distDir, '--incremental', 'false', '--sourceMap', 'false'], { cwd: projectRoot(), stdio: 'ignore' });
  if (!existsSync(bin)) throw new Error(`build failed: ${bin} missing`);
  world = await startWorld({ portals: PORTALS });
}, 180_000);

afterAll(async () => {
  await world?.close();
});

function writeCrawlConfig(indexName: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chronik-kill-'));
  const manifest = readManifest();
  const yaml = [
    'sources:',
    ...PORTALS.map((portal) => `  - url: ${world.url(portal, manifest.portals[portal]!.seed)}`),
    'topic:',
    '  name: KSM/SIS',
    '  anyOfEach:',
    '    - [KSM, SIS, Kommunalservice Mecklenburg, Schwerin, Ludwigslust-Parchim, Parchim]',
    `    - [Cyberangriff, Cyber-Angriff, Hackerangriff, Hackerattacke, Hacker, Schadsoftware, Erpressersoftware, DeepBlueMagic, IT-Angriff, IT-Sicherheit, Angriff auf die kommunale IT, Notbetrieb]`,
    '  from: 2021-10-01',
    'crawl:',
    '  allowPrivateAddresses: true',
    '  minDelayMs: 150',
    '  concurrency: 4',
    '  timeoutMs: 5000',
    '  render:',
    '    auto: false',
    `index:\n  name: ${indexName}`,
  ].join('\n');
  writeFileSync(path.join(dir, 'chronik.yaml'), yaml);
  return dir;
}

function startCrawl(dir: string): { child: ChildProcess; started: Promise<void>; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const meili = inject('meili');
  const child = spawn(process.execPath, [bin, 'crawl'], { cwd: dir, env: { ...process.env, MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (/crawl pass \d+/.test(stderr)) markStarted();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  void done.then(() => markStarted());
  return { child, started, done };
}

function comparable(documents: IndexDocument[]): Array<Partial<IndexDocument>> {
  return documents
    .map(({ fetchedAt: _f, warcFile: _w, warcOffset: _o, ...rest }) => rest)
    .sort((a, b) => a.id.localeCompare(b.id));
}

describe('a crawl killed with SIGKILL', () => {
  it(`resumes after ${KILLS} kills at random points and ends with the uninterrupted crawl's articles, none fetched twice`, async () => {
    const meili = inject('meili');
    const reference = `kill-ref-${randomUUID().slice(0, 8)}`;
    const referenceRun = await startCrawl(writeCrawlConfig(reference)).done;
    expect(referenceRun.code, referenceRun.stderr).toBe(0);
    const referenceRequests = world.accessLog.length;

    const killed = `kill-${randomUUID().slice(0, 8)}`;
    const dir = writeCrawlConfig(killed);
    const logStart = world.accessLog.length;
    let kills = 0;
    let finished: { code: number | null; stderr: string } | undefined;
    const stderrs: string[] = [];
    while (!finished) {
      const { child, started, done } = startCrawl(dir);
      if (kills < KILLS) {
        // Kill anywhere in the first 1.5 s after the crawl itself started (startup is slower than that).
        await started;
        const delayMs = Math.floor(Math.random() * 1500);
        const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
        const result = await done;
        clearTimeout(timer);
        stderrs.push(result.stderr);
        if (result.signal === 'SIGKILL') kills += 1;
        else if (kills < KILLS) throw new Error(`crawl finished after only ${kills} kills; slow it down (stderr: ${result.stderr})`);
        else finished = result;
      } else {
        const result = await done;
        stderrs.push(result.stderr);
        finished = result;
      }
    }
    expect(kills).toBe(KILLS);
    expect(finished.code, finished.stderr.split('\n').filter((line) => !line.startsWith('on topic')).join('\n')).toBe(0);
    expect(stderrs.slice(1).some((text) => /Resuming crawl pass 1/.test(text))).toBe(true);

    const expected = comparable(await openArticleIndex(meili, reference).allDocuments());
    const actual = comparable(await openArticleIndex(meili, killed).allDocuments());
    expect(expected.length).toBeGreaterThan(30);
    expect(actual).toEqual(expected);

    // Nothing finished is fetched again: the crawl log has each URL once, and the server saw at
    // most one extra request per fetch that was in flight at a kill.
    const db = new Database(path.join(dir, 'data', 'state', 'crawl-state.sqlite'), { readonly: true });
    const twice = db.prepare('SELECT key, COUNT(*) AS n FROM log WHERE pass = 1 GROUP BY key HAVING n > 1').all();
    db.close();
    expect(twice).toEqual([]);
    const killedRequests = world.accessLog.length - logStart;
    expect(killedRequests).toBeLessThanOrEqual(referenceRequests + KILLS * (4 + 4));
  }, 300_000);
});

describe('a crawl stopped with SIGTERM or SIGINT', () => {
  it('stops gracefully, says how to resume, exits with the stopped status, and the next run finishes the pass', async () => {
    const dir = writeCrawlConfig(`term-${randomUUID().slice(0, 8)}`);
    const first = startCrawl(dir);
    await first.started;
    await new Promise((resolve) => setTimeout(resolve, 800));
    first.child.kill('SIGTERM');
    const stopped = await first.done;
    expect(stopped.code, stopped.stderr).toBe(4);
    expect(stopped.stderr).toMatch(/Stopped with \d+ URLs? still queued in .*crawl-state\.sqlite\. Run `chronik crawl` again to resume/);

    const second = startCrawl(dir);
    await second.started;
    await new Promise((resolve) => setTimeout(resolve, 500));
    second.child.kill('SIGINT');
    expect((await second.done).code).toBe(4);

    const last = await startCrawl(dir).done;
    expect(last.stderr).toMatch(/Resuming crawl pass 1/);
    expect(last.code, last.stderr.split('\n').filter((line) => !line.startsWith('on topic')).join('\n')).toBe(0);
    const db = new Database(path.join(dir, 'data', 'state', 'crawl-state.sqlite'), { readonly: true });
    expect(db.prepare('SELECT key FROM log WHERE pass = 1 GROUP BY key HAVING COUNT(*) > 1').all()).toEqual([]);
    db.close();
    // The structured log: JSON lines, the stop requests included.
    const logLines = readFileSync(path.join(dir, 'data', 'state', 'crawl.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { msg: string; signal?: string });
    expect(logLines.filter((line) => line.msg === 'stop requested').map((line) => line.signal)).toEqual(['SIGTERM', 'SIGINT']);
    expect(logLines.some((line) => line.msg === 'fetched')).toBe(true);
    expect(logLines.at(-1)?.msg).toBe('crawl finished');
  }, 120_000);
});
