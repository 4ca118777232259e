/**
 * The data directory lock: an exclusive lock file holding its owner (pid + start time), taken
 * around every start, attach and stop. A lock left by a dead process is taken over.
 */
import { ChronikError } from '../../errors.js';
import { releaseFileLock, tryAcquireFileLock } from '../../state/file-lock.js';
import type { Layout } from './data-dir.js';
import { sleep } from './util.js';

// The generic lock lives in src/state/file-lock.ts (the run lock uses it too).
export { releaseFileLock, tryAcquireFileLock };

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
