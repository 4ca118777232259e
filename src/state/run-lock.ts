import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Owner } from '../index/meili/processes.js';
import { releaseFileLock, tryAcquireFileLock, type LockFiles } from './file-lock.js';

/**
 * One crawl or update at a time per state folder: they share the frontier, the outbox and the
 * archive. The lock file names its holder; a lock left by a killed run is taken over.
 */
export type RunLock =
  | { acquired: true; release: () => void; /** Holder of a stale lock that was taken over. */ tookOverFrom?: Owner | undefined }
  | { acquired: false; holder: Owner | undefined; lockFile: string };

export function runLockFiles(stateDir: string): LockFiles {
  const lockFile = path.resolve(stateDir, 'run.lock');
  return { lockFile, takeoverFile: `${lockFile}.takeover` };
}

export function acquireRunLock(stateDir: string): RunLock {
  const files = runLockFiles(stateDir);
  mkdirSync(path.dirname(files.lockFile), { recursive: true });
  const attempt = tryAcquireFileLock(files);
  if (!attempt.acquired) return { acquired: false, holder: attempt.holder, lockFile: files.lockFile };
  let released = false;
  return {
    acquired: true,
    tookOverFrom: attempt.tookOverFrom,
    release: () => {
      if (released) return;
      released = true;
      releaseFileLock(files, attempt.token);
    },
  };
}
