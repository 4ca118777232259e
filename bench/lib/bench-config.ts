import path from 'node:path';
import { configSchema, type Config } from '../../src/config/schema.js';

/**
 * The crawl settings bench:crawl and bench:update share: the bench topic, politeness limits off,
 * `concurrency` at once on the one host, state and archive in `dir`.
 */
export function benchCrawlConfig(sources: Array<{ url: string; kind?: string }>, dir: string, pages: number, concurrency: number): Config {
  return configSchema.parse({
    sources,
    topic: { name: 'bench', anyOfEach: [['KSM', 'Schwerin'], ['Cyberangriff', 'Schadsoftware']] },
    crawl: {
      maxPages: pages + 10, maxDepth: 100_000, concurrency, perHostConcurrency: concurrency, minDelayMs: 0,
      respectRobotsTxt: false, allowPrivateAddresses: true, render: { auto: false },
    },
    archive: { dir: path.join(dir, 'archive') },
    state: { dir: path.join(dir, 'state') },
  });
}
