/**
 * Releasing an embedded connection: drop this process's lease and, when no live process holds
 * one any more, stop the server. Async under the lock for release(); a synchronous best effort
 * for process 'exit'.
 */
import { ChronikError } from '../../errors.js';
import { readServerRecord, removeServerRecord, type Layout } from './data-dir.js';
import { dropLease, liveLeaseHolders } from './leases.js';
import { releaseFileLock, tryAcquireFileLock, withDataDirLock } from './lock.js';
import { isProcessAlive, isServerOnDb, sendSignal, stopProcess } from './processes.js';
import { sleepSync } from './util.js';

/** Per-connection release state. */
export interface EmbeddedState {
  layout: Layout;
  log: (message: string) => void;
  /** release() finished or the exit handler ran. */
  settled: boolean;
  /** This connection's share of the process lease has been given back. */
  leaseDropped: boolean;
}

export async function releaseEmbedded(state: EmbeddedState, lockTimeoutMs: number): Promise<void> {
  const { layout, log } = state;
  if (state.settled) return;
  try {
    await withDataDirLock(layout, lockTimeoutMs, async () => {
      if (state.settled) return; // the exit handler got here first
      dropLease(layout);
      state.leaseDropped = true;
      const users = liveLeaseHolders(layout);
      if (users.length > 0) {
        log(`Meilisearch stays up for ${users.length === 1 && users[0] === process.pid ? 'other connections of this process' : `processes ${users.join(', ')}`}`);
        return;
      }
      const record = readServerRecord(layout);
      if (record !== undefined && isServerOnDb(record.pid, layout.db)) {
        if (!(await stopProcess(record.pid, log))) {
          throw new ChronikError('MEILI_START_FAILED', `Could not stop Meilisearch (pid ${record.pid}); kill it by hand`, {
            details: { pid: record.pid },
          });
        }
        log(`Stopped Meilisearch (pid ${record.pid})`);
      }
      removeServerRecord(layout);
    });
  } catch (error) {
    // Even when we cannot get the lock, we no longer use the server.
    if (!state.settled && !state.leaseDropped) {
      dropLease(layout);
      state.leaseDropped = true;
    }
    throw error;
  } finally {
    state.settled = true;
  }
}

/**
 * Synchronous best effort for process 'exit': drop this process's lease and, if nobody else
 * uses the server, SIGTERM it. Nothing async runs any more, so a lock held by our own pid is ours.
 */
export function releaseAtExit(state: EmbeddedState): void {
  if (state.settled) return;
  state.settled = true;
  const { layout } = state;
  try {
    dropLease(layout, true);
    state.leaseDropped = true;
    const attempt = tryAcquireFileLock(layout);
    // Another live process is inside the lock: it will see our lease gone and do the right thing.
    if (!attempt.acquired) return;
    try {
      if (liveLeaseHolders(layout).length > 0) return;
      const record = readServerRecord(layout);
      if (record === undefined) return;
      if (isServerOnDb(record.pid, layout.db)) {
        sendSignal(record.pid, 'SIGTERM');
        const deadline = Date.now() + 2_000;
        while (isProcessAlive(record.pid) && Date.now() < deadline) sleepSync(20);
      }
      // Still shutting down: keep server.json, so the next start waits for it instead of
      // opening the db a second time.
      if (!isProcessAlive(record.pid)) removeServerRecord(layout);
    } finally {
      releaseFileLock(layout, attempt.token);
    }
  } catch {
    // best effort: we are exiting
  }
}
