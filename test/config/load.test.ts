import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { ChronikError } from '../../src/errors.js';

const minimal = `
sources:
  - url: https://example.org/a.html
topic:
  name: Test
  anyOfEach: [[Schwerin], [Cyberangriff]]
`;

function errorOf(action: () => unknown): ChronikError {
  try {
    action();
  } catch (error) {
    if (error instanceof ChronikError) return error;
    throw error;
  }
  throw new Error('expected a ChronikError');
}

describe('config loading', () => {
  it('fills every default and resolves data folders against the config file', () => {
    const config = parseConfig(minimal, '/srv/chronik/chronik.yaml', {});
    expect(config.crawl.respectRobotsTxt).toBe(true);
    expect(config.crawl.allowPrivateAddresses).toBe(false);
    expect(config.archive.dir).toBe('/srv/chronik/data/archive');
    expect(config.index.dataDir).toBe('/srv/chronik/data/meili');
  });

  it('names the file and the field path of a wrong value', () => {
    const text = minimal.replace('https://example.org/a.html', 'ftp://example.org/a');
    const error = errorOf(() => parseConfig(text, 'my.yaml', {}));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.userMessage).toBe('my.yaml: sources[0].url: expected an http(s) URL');
  });

  it('names an unknown field instead of ignoring a typo', () => {
    const error = errorOf(() => parseConfig(`${minimal}\ncrawl:\n  maxDeth: 3\n`, 'chronik.yaml', {}));
    expect(error.userMessage).toMatch(/^chronik\.yaml: crawl: Unrecognized key: "maxDeth"/);
  });

  it('reports broken YAML with its line', () => {
    const error = errorOf(() => parseConfig('sources: [\n  - url', 'broken.yaml', {}));
    expect(error.userMessage).toMatch(/^broken\.yaml(:\d+)?: not valid YAML/);
  });

  it('takes MEILI_URL and MEILI_MASTER_KEY from the environment', () => {
    const config = parseConfig(minimal, 'c.yaml', { MEILI_URL: 'http://127.0.0.1:7777', MEILI_MASTER_KEY: 'k' });
    expect(config.index.meiliUrl).toBe('http://127.0.0.1:7777');
    expect(config.index.masterKey).toBe('k');
  });

  it('says which file is missing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chronik-config-'));
    await expect(loadConfig(path.join(dir, 'none.yaml'))).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
    await writeFile(path.join(dir, 'ok.yaml'), minimal);
    await expect(loadConfig(path.join(dir, 'ok.yaml'), {})).resolves.toMatchObject({ topic: { name: 'Test' } });
  });

  it('accepts the shipped live configuration', async () => {
    const config = await loadConfig(path.resolve(import.meta.dirname, '../../chronik.yaml'), {});
    expect(config.sources.length).toBe(5);
    expect(config.sources.every((source) => source.url.startsWith('https://'))).toBe(true);
  });
});
