/**
 * Connecting to the embedded server: under the data directory lock, attach to the recorded
 * server if it is alive and answers, else start one. Meilisearch itself does not lock its
 * database, so two servers on one db would corrupt it: the lock + server.json (and a /proc scan
 * for servers we lost track of) are what prevent that.
 */
import { ChronikError } from '../../errors.js';
import type { ConnectMeiliOptions, MeiliConnection } from '../meili-server.js';
import { binaryMissingError, ensureExecutable, resolveMeiliBinary } from './binary.js';
import {
  createDataDir,
  layoutOf,
  loadOrCreateMasterKey,
  readMasterKey,
  readServerRecord,
  removeServerRecord,
  writeServerRecord,
  type Layout,
  type ServerRecord,
} from './data-dir.js';
import { acceptsKey, checkHealth } from './health.js';
import { addLease } from './leases.js';
import { withDataDirLock } from './lock.js';
import { findServersOnDb, isServerOnDb, STOP_GRACE_MS } from './processes.js';
import { releaseEmbedded, type EmbeddedState } from './release.js';
import { startServer } from './start.js';
import { nonEmpty, sleep } from './util.js';

const DEFAULT_MAX_INDEXING_MEMORY = '1GiB';
const DEFAULT_START_TIMEOUT_MS = 30_000;
/** How long to wait for a recorded server that is alive but not (yet/any more) answering. */
const UNRESPONSIVE_WAIT_MS = 10_000;

/** Release state behind each embedded MeiliConnection (kept out of its public type). */
const embeddedStates = new WeakMap<MeiliConnection, EmbeddedState>();

export function embeddedStateOf(connection: MeiliConnection): EmbeddedState | undefined {
  return embeddedStates.get(connection);
}

export async function connectEmbedded(options: ConnectMeiliOptions, log: (message: string) => void): Promise<MeiliConnection> {
  const explicitPort = options.port;
  if (explicitPort !== undefined && (!Number.isInteger(explicitPort) || explicitPort < 1 || explicitPort > 65535)) {
    throw new ChronikError('CONFIG_INVALID', `Meilisearch port ${explicitPort} is not a TCP port (1-65535)`);
  }
  // Before touching the disk: no point creating a data directory we cannot serve.
  const binary = resolveMeiliBinary(options.binaryPath);
  if (binary === undefined) throw binaryMissingError(options.binaryPath);

  const layout = layoutOf(options.dataDir);
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const lockTimeoutMs = options.lockTimeoutMs ?? startTimeoutMs + STOP_GRACE_MS + 10_000;
  createDataDir(layout);

  const { url, apiKey, mode } = await withDataDirLock(layout, lockTimeoutMs, async () => {
    const attached = await tryAttach(layout, log);
    if (attached !== undefined) {
      addLease(layout);
      if (explicitPort !== undefined && explicitPort !== attached.port) {
        log(`Meilisearch for ${layout.dir} already runs on port ${attached.port}; using it instead of port ${explicitPort}`);
      }
      log(`Attached to Meilisearch at ${attached.url} (pid ${attached.pid})`);
      return { url: attached.url, apiKey: attached.apiKey, mode: 'embedded-attached' as const };
    }
    await waitForUnrecordedServers(layout);
    const key = loadOrCreateMasterKey(layout, log);
    const executable = ensureExecutable(binary, layout.binDir);
    const record = await startServer({
      layout,
      executable,
      key,
      explicitPort,
      maxIndexingMemory: nonEmpty(options.maxIndexingMemory) ?? DEFAULT_MAX_INDEXING_MEMORY,
      startTimeoutMs,
    });
    writeServerRecord(layout, record);
    addLease(layout);
    log(`Started Meilisearch at ${record.url} (pid ${record.pid}, data ${layout.dir})`);
    return { url: record.url, apiKey: key, mode: 'embedded-started' as const };
  });

  const state: EmbeddedState = { layout, log, settled: false, leaseDropped: false };
  let releasing: Promise<void> | undefined;
  const connection: MeiliConnection = {
    url,
    apiKey,
    mode,
    release: () => {
      releasing ??= releaseEmbedded(state, lockTimeoutMs);
      return releasing;
    },
  };
  embeddedStates.set(connection, state);
  return connection;
}

/**
 * Under the lock: the server recorded in server.json if it is alive and answers, else undefined
 * (a stale record is removed). A recorded server that is alive but does not answer gets a grace
 * period (it may be shutting down or busy), then is an error: starting a second server on the
 * same db would corrupt it.
 */
async function tryAttach(layout: Layout, log: (message: string) => void): Promise<(ServerRecord & { apiKey: string }) | undefined> {
  const record = readServerRecord(layout);
  if (record === undefined) {
    removeServerRecord(layout);
    return undefined;
  }
  const deadline = Date.now() + UNRESPONSIVE_WAIT_MS;
  for (;;) {
    if (!isServerOnDb(record.pid, layout.db)) {
      log(`Removing stale ${layout.serverFile} (pid ${record.pid} is not running)`);
      removeServerRecord(layout);
      return undefined;
    }
    const health = await checkHealth(record.url, 1_000);
    if (health.ok) break;
    if (Date.now() >= deadline) {
      throw new ChronikError(
        'MEILI_DATA_DIR_BUSY',
        `Meilisearch (pid ${record.pid}) holds ${layout.dir} but does not answer at ${record.url} (${health.reason}); stop it (kill ${record.pid}) and retry`,
        { action: 'retry-later', details: { pid: record.pid, url: record.url } },
      );
    }
    await sleep(200);
  }
  const apiKey = readMasterKey(layout);
  if (apiKey === undefined || !(await acceptsKey(record.url, apiKey))) {
    throw new ChronikError(
      'MEILI_START_FAILED',
      `Meilisearch (pid ${record.pid}) at ${record.url} does not accept the master key in ${layout.keyFile}; stop it (kill ${record.pid}) and retry`,
      { details: { pid: record.pid, url: record.url } },
    );
  }
  return { ...record, apiKey };
}

/** A Meilisearch on our db that we lost track of (no server.json) must be gone before we start. */
async function waitForUnrecordedServers(layout: Layout): Promise<void> {
  const deadline = Date.now() + UNRESPONSIVE_WAIT_MS;
  for (;;) {
    const others = findServersOnDb(layout.db);
    if (others.length === 0) return;
    if (Date.now() >= deadline) {
      throw new ChronikError(
        'MEILI_DATA_DIR_BUSY',
        `Another Meilisearch (pid ${others.join(', ')}) already uses ${layout.db} without being recorded in server.json; stop it (kill ${others.join(' ')}) and retry`,
        { action: 'retry-later', details: { pids: others } },
      );
    }
    await sleep(200);
  }
}
