import { rm } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot, readManifest, startWorld } from '../../../fixtures/server/serve-world.js';
import type { Config } from '../../config/schema.js';
import type { ExitStatus } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { runMainJob, type RunOptions } from './run.js';

/**
 * The main job against the bundled fixture portals on 127.0.0.1, offline: same pipeline,
 * same topic profile; only the sources, the loopback permission and the data folder differ.
 */
export async function runDemo(baseConfig: Config, io: CliIo, options: RunOptions): Promise<ExitStatus> {
  const world = await startWorld();
  try {
    const manifest = readManifest();
    const sources = Object.entries(manifest.portals).map(([portal, { seed }]) => ({ url: world.url(portal, seed), kind: 'seed' as const }));
    io.stderr.write(`Fixture portals: ${Object.entries(world.origins).map(([name, origin]) => `${name} ${origin}`).join(', ')}\n`);
    const dataDir = path.join(projectRoot(), 'data', 'demo');
    // Every demo run serves the world on new ports, so its URLs are new: start from nothing.
    await Promise.all(['archive', 'state'].map((folder) => rm(path.join(dataDir, folder), { recursive: true, force: true })));
    const config: Config = {
      ...baseConfig,
      sources,
      crawl: { ...baseConfig.crawl, allowHosts: [], allowPrivateAddresses: true, minDelayMs: 0, concurrency: 8 },
      archive: { ...baseConfig.archive, dir: path.join(dataDir, 'archive') },
      state: { dir: path.join(dataDir, 'state') },
      index: baseConfig.index.meiliUrl ? { ...baseConfig.index, name: 'demo' } : { ...baseConfig.index, dataDir: path.join(dataDir, 'meili') },
    };
    return await runMainJob(config, io, { ...options, freshIndex: true });
  } finally {
    await world.close();
  }
}
