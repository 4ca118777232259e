import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot, startWorld, type RunningWorld } from '../../fixtures/server/serve-world.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { openArticleIndex } from '../../src/index/meili-client.js';
import type { IndexDocument } from '../../src/pipeline/types.js';
import { PORTALS, publishNews, runChronik, writeUpdateConfig } from './world-news.js';

/**
 * `chronik update` as a real process, killed with SIGKILL at random points 20 times and then
 * left to finish, against an uninterrupted update of the same world changes on a fresh state:
 * the two indexes hold the same documents, nothing lost and nothing twice. Also: a second
 * update started while one runs exits with the lock status.
 */
const KILLS = 20;
const distDir = path.join(projectRoot(), 'test-output', 'update-dist');
const bin = path.join(distDir, 'src', 'cli', 'bin.js');
let world: RunningWorld;
const meili = () => inject('meili');

beforeAll(async () => {
  // A private build, so the test never runs a stale dist/ and never disturbs it.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.json', '--outDir', distDir, '--incremental', 'false', '--sourceMap', 'false'], { cwd: projectRoot(), stdio: 'ignore' });
  if (!existsSync(bin)) throw new Error(`build failed: ${bin} missing`);
  world = await startWorld({ portals: PORTALS });
}, 240_000);

afterAll(async () => {
  await world?.close();
});

interface Run {
  child: ChildProcess;
  started: Promise<void>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function startUpdate(dir: string): Run {
  const child = spawn(process.execPath, [bin, 'update'], { cwd: dir, env: { ...process.env, MEILI_URL: meili().url, MEILI_MASTER_KEY: meili().apiKey }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (/(update|crawl) pass \d+/.test(stderr)) markStarted();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  void done.then(() => markStarted());
  return { child, started, done };
}

/** Where a kill landed: the pass in the state file, whether it was finished, and how many URLs its log has. */
function statePosition(dir: string): string {
  const file = path.join(dir, 'data', 'state', 'crawl-state.sqlite');
  if (!existsSync(file)) return 'before the state file existed';
  const db = new Database(file, { readonly: true });
  try {
    const pass = db.prepare('SELECT id, mode, finished_at FROM pass ORDER BY id DESC LIMIT 1').get() as { id: number; mode: string; finished_at: string | null } | undefined;
    if (!pass) return 'no pass yet';
    const logged = (db.prepare('SELECT COUNT(*) AS n FROM log WHERE pass = ?').get(pass.id) as { n: number }).n;
    const outbox = path.join(dir, 'data', 'state', 'index-outbox.sqlite');
    const waiting = existsSync(outbox) ? (new Database(outbox, { readonly: true }).prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n : 0;
    return `pass ${pass.id} (${pass.mode}, ${pass.finished_at ? 'finished' : 'open'}), ${logged} URLs done, ${waiting} in outbox`;
  } finally {
    db.close();
  }
}

/** Documents by id with their content fields: only where and when a copy was captured may differ. */
function comparable(documents: IndexDocument[]): Array<Partial<IndexDocument>> {
  return documents.map(({ fetchedAt: _f, warcFile: _w, warcOffset: _o, ...rest }) => rest).sort((a, b) => a.id.localeCompare(b.id));
}

describe('an update killed with SIGKILL', () => {
  it(`ends, after ${KILLS} kills at random points, with the index of an uninterrupted update`, async () => {
    const suffix = randomUUID().slice(0, 8);
    const referenceDir = writeUpdateConfig(world, `kill-upd-ref-${suffix}`);
    const killedDir = writeUpdateConfig(world, `kill-upd-${suffix}`);
    for (const dir of [referenceDir, killedDir]) {
      const crawl = await runChronik(dir, ['crawl'], meili());
      expect(crawl.status, crawl.err).toBe(EXIT.ok);
    }
    publishNews(world);
    // A pause between requests to a host stretches the update over a few seconds, so kills land all over it.
    writeUpdateConfig(world, `kill-upd-ref-${suffix}`, { minDelayMs: 250 }, referenceDir);
    writeUpdateConfig(world, `kill-upd-${suffix}`, { minDelayMs: 250 }, killedDir);

    const referenceStarted = Date.now();
    const reference = await startUpdate(referenceDir).done;
    const referenceMs = Date.now() - referenceStarted;
    expect(reference.code, reference.stderr).toBe(EXIT.ok);
    expect(reference.stdout).toMatch(/^update: 3 new, 1 changed, 0 failed/);

    const landed: string[] = [];
    let kills = 0;
    let finishedRuns = 0;
    while (kills < KILLS) {
      const run = startUpdate(killedDir);
      // Anywhere from process start (outbox delivery, lock, pass) to the end of a full update.
      const delayMs = Math.floor(Math.random() * referenceMs);
      const timer = setTimeout(() => run.child.kill('SIGKILL'), delayMs);
      const result = await run.done;
      clearTimeout(timer);
      if (result.signal === 'SIGKILL') {
        kills += 1;
        landed.push(`kill ${kills} after ${delayMs} ms: ${statePosition(killedDir)}`);
      } else {
        finishedRuns += 1;
        expect(result.code, result.stderr).toBe(EXIT.ok);
        landed.push(`run finished before its kill at ${delayMs} ms: ${result.stdout.trim()}`);
      }
    }
    const last = await startUpdate(killedDir).done;
    console.log(`reference update ${referenceMs} ms; ${finishedRuns} runs finished between kills\n${landed.join('\n')}\nlast: ${last.stdout.trim()}`);
    expect(last.code, last.stderr).toBe(EXIT.ok);

    const expected = comparable(await openArticleIndex(meili(), `kill-upd-ref-${suffix}`).allDocuments());
    const actual = comparable(await openArticleIndex(meili(), `kill-upd-${suffix}`).allDocuments());
    expect(expected.length).toBeGreaterThan(20);
    expect(actual).toEqual(expected);
    // Kills landed inside the work, not only at process start.
    expect(landed.filter((line) => /URLs done/.test(line)).length).toBeGreaterThan(KILLS / 2);
  }, 300_000);

  it('lets no second update start while one runs', async () => {
    const dir = writeUpdateConfig(world, `kill-upd-lock-${randomUUID().slice(0, 8)}`);
    // Nothing known yet: this update is a full crawl, long enough to overlap with the second.
    const first = startUpdate(dir);
    await first.started;
    const second = await startUpdate(dir).done;
    expect(second.code, second.stderr).toBe(EXIT.locked);
    expect(second.stderr).toMatch(/another crawl or update \(process \d+\) holds .*run\.lock/);
    first.child.kill('SIGKILL');
    await first.done;
    // The killed run's lock is stale: the next run takes it over and finishes the pass.
    const next = await runChronik(dir, ['update'], meili());
    expect(next.err).toContain(`Took over the run lock left by process ${first.child.pid}`);
    expect(next.status, next.err).toBe(EXIT.ok);
  }, 120_000);
});
