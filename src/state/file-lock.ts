/**
 * An exclusive lock file holding its owner (pid + start time). A lock whose owner is dead is
 * taken over, so a killed process never blocks the next one. Used for the Meilisearch data
 * directory and for the crawl/update run lock in the state folder.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

import { isOwnerAlive, ownOwner, parseOwner, type Owner } from '../index/meili/processes.js';
import { fileAgeMs, readTextOrUndefined, removeFile } from '../index/meili/util.js';

/** The lock file and the guard file that makes a takeover of a stale lock safe. */
export interface LockFiles {
  lockFile: string;
  takeoverFile: string;
}

/** A lock file without a readable owner older than this is a leftover, not one being written. */
const UNREADABLE_LOCK_STALE_MS = 5_000;

export type LockAttempt =
  | { acquired: true; token: string; /** Set when a lock left by a dead process was taken over. */ tookOverFrom?: Owner | undefined }
  | { acquired: false; holder: Owner | undefined };

/**
 * One attempt at the lock. A lock whose holder is dead (or is this very process: callers are
 * serialised in-process, and at exit nothing else of ours runs any more) is taken over.
 */
export function tryAcquireFileLock(files: LockFiles): LockAttempt {
  const token = JSON.stringify({ ...ownOwner(), nonce: randomBytes(6).toString('hex') });
  let tookOverFrom: Owner | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(files.lockFile, 'wx', 0o600);
      try {
        fs.writeSync(fd, token);
      } finally {
        fs.closeSync(fd);
      }
      return { acquired: true, token, tookOverFrom };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const content = readTextOrUndefined(files.lockFile);
    if (content === undefined) continue; // released in between: try again
    const holder = parseOwner(content);
    if (holder === undefined) {
      // Empty or garbage: maybe being written right now; stale only once it is old.
      if (fileAgeMs(files.lockFile) < UNREADABLE_LOCK_STALE_MS) return { acquired: false, holder: undefined };
    } else if (holder.pid !== process.pid && isOwnerAlive(holder)) {
      return { acquired: false, holder };
    }
    tookOverFrom = holder ?? { pid: 0 };
    removeStaleLock(files, content);
  }
  return { acquired: false, holder: undefined };
}

/**
 * Remove the lock file only if it still holds the stale content we judged: without the takeover
 * guard, two processes could both judge it stale and the slower one would delete the lock the
 * faster one has just created.
 */
function removeStaleLock(files: LockFiles, staleContent: string): void {
  let guard: number;
  try {
    guard = fs.openSync(files.takeoverFile, 'wx', 0o600);
  } catch {
    if (fileAgeMs(files.takeoverFile) > UNREADABLE_LOCK_STALE_MS) removeFile(files.takeoverFile); // left by a crash
    return;
  }
  try {
    if (readTextOrUndefined(files.lockFile) === staleContent) removeFile(files.lockFile);
  } finally {
    fs.closeSync(guard);
    removeFile(files.takeoverFile);
  }
}

/** Remove the lock file if it is still ours (token from tryAcquireFileLock). */
export function releaseFileLock(files: LockFiles, token: string): void {
  if (readTextOrUndefined(files.lockFile) === token) removeFile(files.lockFile);
}
