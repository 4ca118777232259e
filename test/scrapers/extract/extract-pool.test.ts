import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysePage, ExtractPool, type PageToAnalyse } from '../../../src/pipeline/extract-pool.js';
import { projectRoot } from '../../../fixtures/server/serve-world.js';

const root = projectRoot();
const world = path.join(root, 'fixtures/world');

function page(relativePath: string, url: string, checkRender = false): PageToAnalyse {
  return { body: readFileSync(path.join(world, relativePath)), url, headers: { 'content-type': 'text/html; charset=utf-8' }, fetchedAt: '2024-05-01T10:00:00.000Z', checkRender };
}

const ARTICLE = 'kuestenkurier/nachrichten/regional/mecklenburg-vorpommern/fuehrerschein-beantragung-wieder-moeglich-a425873.html';
const HUB = 'nordpost/index.html';

describe('analysePage', () => {
  it('extracts an article, its index document and its page links (beyond the related ones) from one parse', () => {
    const analysis = analysePage(page(ARTICLE, 'http://127.0.0.1:9/nachrichten/a425873.html'));
    expect(analysis.outcome.kind).toBe('article');
    if (analysis.outcome.kind !== 'article') return;
    const record = analysis.outcome.record;
    expect(record.relatedLinks.length).toBeGreaterThan(0);
    // The page's own links are read too: the crawl follows those the related links do not cover.
    expect(analysis.links?.links.length).toBeGreaterThanOrEqual(record.relatedLinks.length);
    expect(analysis.links?.links.some((link) => link.url.includes('a425873'))).toBe(false);
    // The document is built here (on the worker), without an archive position.
    expect(analysis.document?.document).toMatchObject({ headline: record.headline.value, warcFile: null, warcOffset: null });
    expect(analysis.document?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(analysis.needsRender).toBe(false);
  });

  it('reads the links of a page that is not an article from the same parse', () => {
    const analysis = analysePage(page(HUB, 'http://127.0.0.1:9/'));
    expect(analysis.outcome.kind).toBe('not-an-article');
    expect(analysis.links?.links.length).toBeGreaterThan(5);
    expect(analysis.links?.links.every((link) => !link.url.includes('/teilen'))).toBe(true);
  });

  it('flags a script shell without text for rendering, only when asked to', () => {
    const shell: PageToAnalyse = {
      body: new TextEncoder().encode('<html><head><title>Havelblick</title><script src="/static/app.js"></script></head><body><div id="app"></div></body></html>'),
      url: 'http://127.0.0.1:9/beitrag/x', headers: { 'content-type': 'text/html' }, fetchedAt: '2024-05-01T10:00:00.000Z', checkRender: true,
    };
    expect(analysePage(shell).needsRender).toBe(true);
    expect(analysePage({ ...shell, checkRender: false }).needsRender).toBe(false);
  });
});

describe('ExtractPool', () => {
  // Worker threads cannot load the TypeScript sources, so the worker module is bundled first
  // (esbuild comes with vite); packages stay external and resolve from the project's node_modules.
  const outDir = path.join(root, 'test-output', `extract-pool-${process.pid}`);
  let workerUrl: URL;

  beforeAll(async () => {
    const esbuildModule = 'esbuild';
    const { build } = (await import(esbuildModule)) as { build(options: object): Promise<unknown> };
    mkdirSync(outDir, { recursive: true });
    const outfile = path.join(outDir, 'extract-pool.mjs');
    await build({ entryPoints: [path.join(root, 'src/pipeline/extract-pool.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile, logLevel: 'silent' });
    // The shipped site profiles are read from beside the module.
    const profiles = path.join(root, 'src/scrapers/extract/profiles');
    for (const name of readdirSync(profiles).filter((file) => file.endsWith('.json'))) copyFileSync(path.join(profiles, name), path.join(outDir, name));
    workerUrl = pathToFileURL(outfile);
  });

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('gives the same analyses on worker threads as in the calling thread, for many pages at once', async () => {
    const articles = readdirSync(path.join(world, 'kuestenkurier/nachrichten/regional/mecklenburg-vorpommern'))
      .filter((name) => name.endsWith('.html'))
      .map((name) => page(`kuestenkurier/nachrichten/regional/mecklenburg-vorpommern/${name}`, `http://127.0.0.1:9/nachrichten/${name}`));
    const pages = [...articles, page(HUB, 'http://127.0.0.1:9/')];
    // Every third page in the calling thread, the others on the two workers.
    const pool = new ExtractPool(2, { workerUrl, inlineEvery: 3 });
    try {
      const pooled = await Promise.all(pages.map((input) => pool.analyse(input)));
      expect(pooled).toEqual(pages.map((input) => analysePage(input)));
      expect(pooled.filter((analysis) => analysis.outcome.kind === 'article').length).toBe(articles.length);
    } finally {
      await pool.close();
    }
  });

  it('analyses in the calling thread when its workers cannot start', async () => {
    const pool = new ExtractPool(1, { workerUrl: pathToFileURL(path.join(outDir, 'missing-worker.mjs')) });
    try {
      // Each worker fails to load and is replaced, up to the limit; then the pool has none left.
      while (pool.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const input = page(ARTICLE, 'http://127.0.0.1:9/nachrichten/a425873.html');
      expect(await pool.analyse(input)).toEqual(analysePage(input));
    } finally {
      await pool.close();
    }
  });

  it('fails a page the worker cannot read, and goes on with the next', async () => {
    const pool = new ExtractPool(1, { workerUrl });
    try {
      const bad = { ...page(HUB, 'http://127.0.0.1:9/'), body: undefined as unknown as Uint8Array };
      await expect(pool.analyse(bad)).rejects.toThrow();
      const after = await pool.analyse(page(ARTICLE, 'http://127.0.0.1:9/nachrichten/a425873.html'));
      expect(after.outcome.kind).toBe('article');
    } finally {
      await pool.close();
    }
  });
});
