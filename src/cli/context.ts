import path from 'node:path';
import { loadConfig, DEFAULT_CONFIG_FILE } from '../config/load.js';
import { describeError, isChronikError } from '../errors.js';
import type { Config } from '../config/schema.js';
import { openArticleIndex, type ArticleIndex } from '../index/meili-client.js';
import { connectMeili, releaseOnExit, type MeiliConnection } from '../index/meili-server.js';
import { withStories, type StoryIndex } from '../index/story-index.js';
import { StoryRegistry, storyRegistryFile } from '../index/story-registry.js';
import type { CliIo } from './io.js';

export interface SearchContext {
  index: StoryIndex;
  meili: MeiliConnection;
  close(): Promise<void>;
}

export function configPath(io: CliIo, file: string | undefined): string {
  return path.resolve(io.cwd, file ?? DEFAULT_CONFIG_FILE);
}

export function readConfig(io: CliIo, file: string | undefined): Promise<Config> {
  return loadConfig(configPath(io, file), io.env);
}

/** Connects to (or starts) Meilisearch and makes sure the article index has its settings. */
export async function openSearchContext(config: Config, io: CliIo): Promise<SearchContext> {
  const meili = await connectMeili({
    meiliUrl: config.index.meiliUrl,
    masterKey: config.index.masterKey,
    dataDir: config.index.dataDir,
    port: config.index.port,
    maxIndexingMemory: config.index.maxIndexingMemory,
    log: (message) => io.stderr.write(`${message}\n`),
  });
  const uninstall = releaseOnExit(meili);
  let stories: StoryRegistry | undefined;
  try {
    const index = openArticleIndex({ url: meili.url, apiKey: meili.apiKey }, config.index.name);
    await index.prepare();
    stories = new StoryRegistry(storyRegistryFile(config.state.dir, config.index.name));
    const registry = stories;
    return {
      index: withStories(index, registry),
      meili,
      close: async () => {
        registry.close();
        uninstall();
        await meili.release();
      },
    };
  } catch (error) {
    stories?.close();
    uninstall();
    await meili.release();
    throw error;
  }
}

/**
 * Like openSearchContext, but a Meilisearch that cannot be reached or started is reported in
 * one line and yields undefined, so a crawl can go on and keep its documents in the outbox.
 */
export async function openSearchContextIfAvailable(config: Config, io: CliIo): Promise<SearchContext | undefined> {
  try {
    return await openSearchContext(config, io);
  } catch (error) {
    if (!isChronikError(error) || !error.code.startsWith('MEILI_')) throw error;
    io.stderr.write(`Meilisearch unavailable, crawling without it: ${describeError(error)}\n`);
    return undefined;
  }
}
