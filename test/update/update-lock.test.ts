import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorld, type RunningWorld } from '../../fixtures/server/serve-world.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runLockFiles } from '../../src/state/run-lock.js';
import { PORTALS, runChronik, writeUpdateConfig } from './world-news.js';

/**
 * The run lock in the state folder: held by a live process, an update exits with the lock
 * status and touches nothing; left by a dead one (a run killed with SIGKILL), it is taken over.
 */
let world: RunningWorld;
const meili = () => inject('meili');

beforeAll(async () => {
  world = await startWorld({ portals: PORTALS });
});

afterAll(async () => {
  await world?.close();
});

describe('the run lock', () => {
  it('keeps a second run out while the holder lives, and is taken over once it died', async () => {
    const dir = writeUpdateConfig(world, `update-lock-${randomUUID().slice(0, 8)}`);
    const stateDir = path.join(dir, 'data', 'state');
    mkdirSync(stateDir, { recursive: true });
    // Another process holding the lock (as a running crawl would: its pid in the lock file).
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    const holderGone = new Promise((resolve) => holder.on('exit', resolve));
    writeFileSync(runLockFiles(stateDir).lockFile, JSON.stringify({ pid: holder.pid }));

    const logStart = world.accessLog.length;
    for (const command of ['update', 'crawl']) {
      const blocked = await runChronik(dir, [command], meili());
      expect(blocked.status).toBe(EXIT.locked);
      expect(blocked.err).toContain(`another crawl or update (process ${holder.pid}) holds ${runLockFiles(stateDir).lockFile}`);
      expect(blocked.out).toBe('');
    }
    expect(readdirSync(stateDir)).toEqual(['run.lock']);
    expect(existsSync(path.join(dir, 'data', 'archive'))).toBe(false);
    expect(world.accessLog.length).toBe(logStart);

    holder.kill('SIGKILL');
    await holderGone;
    const takeover = await runChronik(dir, ['update'], meili());
    expect(takeover.err).toContain(`Took over the run lock left by process ${holder.pid}, which is no longer running.`);
    expect(takeover.status, takeover.err).toBe(EXIT.ok);
    // Nothing was known yet, so this first update was a full crawl; the lock is released after it.
    expect(takeover.out).toMatch(/^update \(full crawl\): \d+ new, 0 changed, 0 failed/);
    expect(existsSync(runLockFiles(stateDir).lockFile)).toBe(false);
  }, 60_000);
});
