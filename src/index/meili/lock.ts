/**
 * The data directory lock: an exclusive lock file holding its owner (pid + start time), taken
 * around every start, attach and stop. A lock left by a dead process is taken over.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

import { ChronikError } from '../../errors.js';
import type { Layout } from './data-dir.js';
import { isOwnerAlive, ownOwner, parseOwner, type Owner } from './processes.js';
import { fileAgeMs, readTextOrUndefined, removeFile, sleep } from './util.js';

/** A lock file without a readable owner older than this is a leftover, not one being written. */
const UNREADABLE_LOCK_STALE_MS = 5_000;

/** Serialises lock holders inside this process (they would all write the same pid). */
const inProcessQueues = new Map<string, Promise<void>>();

/** Run fn holding the data directory lock; waits up to timeoutMs for it. */
export async function withDataDirLock<T>(layout: Layout, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const previous = inProcessQueues.get(layout.dir) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => {
    done = resolve;
  });
  const tail = previous.then(() => mine);
  inProcessQueues.set(layout.dir, tail);
  try {
    await previous;
    const token = await acquireFileLock(layout, timeoutMs);
    try {
      return await fn();
    } finally {
      releaseFileLock(layout, token);
    }
  } finally {
    done();
    if (inProcessQueues.get(layout.dir) === tail) inProcessQueues.delete(layout.dir);
  }
}

type LockAttempt = { acquired: true; token: string } | { acquired: false; holder: Owner | undefined };

/**
 * One attempt at the lock. A lock whose holder is dead (or is this very process: callers are
 * serialised in-process, and at exit nothing else of ours runs any more) is taken over.
 */
export function tryAcquireFileLock(layout: Layout): LockAttempt {
  const token = JSON.stringify({ ...ownOwner(), nonce: randomBytes(6).toString('hex') });
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(layout.lockFile, 'wx', 0o600);
      try {
        fs.writeSync(fd, token);
      } finally {
        fs.closeSync(fd);
      }
      return { acquired: true, token };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const content = readTextOrUndefined(layout.lockFile);
    if (content === undefined) continue; // released in between: try again
    const holder = parseOwner(content);
    if (holder === undefined) {
      // Empty or garbage: maybe being written right now; stale only once it is old.
      if (fileAgeMs(layout.lockFile) < UNREADABLE_LOCK_STALE_MS) return { acquired: false, holder: undefined };
    } else if (holder.pid !== process.pid && isOwnerAlive(holder)) {
      return { acquired: false, holder };
    }
    removeStaleLock(layout, content);
  }
  return { acquired: false, holder: undefined };
}

/**
 * Remove the lock file only if it still holds the stale content we judged: without the takeover
 * guard, two processes could both judge it stale and the slower one would delete the lock the
 * faster one has just created.
 */
function removeStaleLock(layout: Layout, staleContent: string): void {
  let guard: number;
  try {
    guard = fs.openSync(layout.takeoverFile, 'wx', 0o600);
  } catch {
    if (fileAgeMs(layout.takeoverFile) > UNREADABLE_LOCK_STALE_MS) removeFile(layout.takeoverFile); // left by a crash
    return;
  }
  try {
    if (readTextOrUndefined(layout.lockFile) === staleContent) removeFile(layout.lockFile);
  } finally {
    fs.closeSync(guard);
    removeFile(layout.takeoverFile);
  }
}

async function acquireFileLock(layout: Layout, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let delay = 25;
  for (;;) {
    const attempt = tryAcquireFileLock(layout);
    if (attempt.acquired) return attempt.token;
    if (Date.now() >= deadline) {
      const who = attempt.holder !== undefined ? `process ${attempt.holder.pid}` : 'another process';
      throw new ChronikError(
        'MEILI_DATA_DIR_BUSY',
        `Meilisearch data directory ${layout.dir} is locked by ${who} (starting or stopping the server?); wait and retry, or delete ${layout.lockFile} if no Chronik process is running`,
        { action: 'retry-later', details: { dataDir: layout.dir, holder: attempt.holder?.pid } },
      );
    }
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
    delay = Math.min(delay * 2, 250);
  }
}

/** Remove the lock file if it is still ours (token from tryAcquireFileLock). */
export function releaseFileLock(layout: Layout, token: string): void {
  if (readTextOrUndefined(layout.lockFile) === token) removeFile(layout.lockFile);
}
