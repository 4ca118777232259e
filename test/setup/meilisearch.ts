import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { getFreePort } from '../../src/index/free-port.js';
import { connectMeili, type MeiliConnection } from '../../src/index/meili-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    meili: { url: string; apiKey: string };
  }
}

/**
 * One real Meilisearch for the whole run, started by the same launcher users get, in a
 * temporary folder on a free port. With MEILI_URL set, that server is used instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chronik-test-meili-'));
  let connection: MeiliConnection;
  try {
    connection = await connectMeili({
      meiliUrl: process.env.MEILI_URL,
      masterKey: process.env.MEILI_MASTER_KEY,
      dataDir,
      port: process.env.MEILI_URL ? undefined : await getFreePort(),
      maxIndexingMemory: '512MiB',
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  project.provide('meili', { url: connection.url, apiKey: connection.apiKey });
  return async () => {
    await connection.release();
    await rm(dataDir, { recursive: true, force: true });
  };
}
