/**
 * Starting a Meilisearch process on our data directory: pick a port, spawn it detached, wait for
 * /health, and make sure the server answering is ours.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';

import { ChronikError } from '../../errors.js';
import { LOOPBACK, getFreePort, isPortFree } from '../free-port.js';
import type { Layout, ServerRecord } from './data-dir.js';
import { acceptsKey, checkHealth } from './health.js';
import { stopProcess } from './processes.js';
import { readLogTail, rotateLog } from './server-log.js';
import { errorText, sleep } from './util.js';

const DEFAULT_PORT = 7700;

export interface StartRequest {
  layout: Layout;
  executable: string;
  key: string;
  /** Must be used (else PORT_IN_USE); undefined: DEFAULT_PORT if free, else any free port. */
  explicitPort: number | undefined;
  maxIndexingMemory: string;
  startTimeoutMs: number;
}

export async function startServer(request: StartRequest): Promise<ServerRecord> {
  const { explicitPort } = request;
  // A port found free can be taken before Meilisearch binds it: retry with another free one.
  for (let attempt = 1; ; attempt++) {
    let port: number;
    if (explicitPort !== undefined) {
      if (!(await isPortFree(explicitPort))) throw portInUseError(explicitPort);
      port = explicitPort;
    } else if (attempt === 1 && (await isPortFree(DEFAULT_PORT))) {
      port = DEFAULT_PORT;
    } else {
      port = await getFreePort();
    }
    const outcome = await spawnAndWait(request, port);
    if (outcome.ok) return outcome.record;
    if (outcome.portInUse) {
      if (explicitPort !== undefined) throw portInUseError(explicitPort);
      if (attempt < 3) continue;
    }
    throw new ChronikError('MEILI_START_FAILED', outcome.message, { details: { logFile: request.layout.logFile, port } });
  }
}

function portInUseError(port: number): ChronikError {
  return new ChronikError(
    'PORT_IN_USE',
    `Port ${port} on ${LOOPBACK} is already in use by another program; choose another Meilisearch port or leave it unset to pick a free one`,
    { details: { port } },
  );
}

type SpawnOutcome = { ok: true; record: ServerRecord } | { ok: false; portInUse: boolean; message: string };

async function spawnAndWait(request: StartRequest, port: number): Promise<SpawnOutcome> {
  const { layout, executable, key, startTimeoutMs } = request;
  const url = `http://${LOOPBACK}:${port}`;
  rotateLog(layout.logFile);
  const logFd = fs.openSync(layout.logFile, 'a', 0o600);
  const logStart = fs.fstatSync(logFd).size;
  const args = [
    '--db-path', layout.db,
    '--http-addr', `${LOOPBACK}:${port}`,
    '--env', 'production',
    '--no-analytics',
    '--max-indexing-memory', request.maxIndexingMemory,
    '--dump-dir', layout.dumps,
    '--snapshot-dir', layout.snapshots,
    '--log-level', 'WARN',
  ];
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(executable, args, {
      // cwd: Meilisearch reads ./config.toml when present; the data directory has none.
      cwd: layout.dir,
      env: serverEnv(key),
      // Own process group: a Ctrl-C in the terminal must not kill a server other Chronik
      // processes may still be using; the last user stops it.
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
  } catch (error) {
    return { ok: false, portInUse: false, message: `Could not run Meilisearch ${executable} (${errorText(error)})` };
  } finally {
    fs.closeSync(logFd);
  }
  child.unref();
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exitReason ??= `could not run ${executable}: ${errorText(error)}`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitReason ??= signal !== null ? `killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
  });

  const failure = async (reason: string): Promise<SpawnOutcome> => {
    if (child.pid !== undefined && exitReason === undefined) await stopProcess(child.pid, () => {});
    const tail = readLogTail(layout.logFile, logStart);
    return {
      ok: false,
      portInUse: /address already in use|os error 98|EADDRINUSE/i.test(tail),
      message: `Meilisearch did not start (${reason}); ${layout.logFile}: ${tail}`,
    };
  };

  const deadline = Date.now() + startTimeoutMs;
  let delay = 50;
  for (;;) {
    if (exitReason !== undefined) return failure(exitReason);
    const health = await checkHealth(url, 1_000);
    if (health.ok && exitReason === undefined && child.pid !== undefined) {
      // Another server may have grabbed the port and answered for ours: it would not know our key.
      if (await acceptsKey(url, key)) {
        return { ok: true, record: { pid: child.pid, url, port, startedAt: new Date().toISOString() } };
      }
      // Wait a moment for our own process to fail on the taken port, which says what happened.
      await Promise.race([exited, sleep(2_000)]);
      if (exitReason !== undefined) return failure(exitReason);
      return failure(`another server answers at ${url}`);
    }
    if (Date.now() >= deadline) return failure(`no answer at ${url}/health within ${Math.round(startTimeoutMs / 100) / 10} s`);
    await Promise.race([exited, sleep(delay)]);
    delay = Math.min(delay * 2, 250);
  }
}

/** The server's environment: ours minus MEILI_* (a user's MEILI_* config must not leak into it). */
function serverEnv(key: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('MEILI_')) env[name] = value;
  }
  // Via the environment, not --master-key: command lines are visible to every user in ps.
  env['MEILI_MASTER_KEY'] = key;
  // Keep the log readable: error messages without multi-screen backtraces.
  env['RUST_BACKTRACE'] = '0';
  env['RUST_LIB_BACKTRACE'] = '0';
  return env;
}
