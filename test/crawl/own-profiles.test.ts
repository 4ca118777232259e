import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest, startWorld } from '../../fixtures/server/serve-world.js';
import { loadConfig } from '../../src/config/load.js';
import { crawlConfig, crawlToOutbox } from './helpers.js';

/** A researcher's own profile for a portal Chronik ships one for: theirs replaces the shipped one. */
const OWN_KUESTENKURIER = {
  name: 'kuestenkurier',
  description: 'test: reads the headline from the © line, so its use shows in every document',
  match: { hosts: ['kuestenkurier.de'], siteName: 'Küstenkurier' },
  headline: { selector: 'article p.copyright' },
};

describe('extract.profilesDir: own site profiles in a crawl', () => {
  it('applies a profile from the configured folder ahead of the shipped one of the same name', async () => {
    const world = await startWorld({ portals: ['kuestenkurier'] });
    try {
      const seed = world.url('kuestenkurier', readManifest().portals.kuestenkurier!.seed);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'chronik-own-profiles-'));
      const profilesDir = path.join(dir, 'profile');
      mkdirSync(profilesDir, { recursive: true });
      writeFileSync(path.join(profilesDir, 'kuestenkurier.json'), JSON.stringify(OWN_KUESTENKURIER));
      const shipped = await crawlToOutbox(crawlConfig([{ url: seed }], { maxPages: 15 }, path.join(dir, 'shipped')));
      const own = await crawlToOutbox({ ...crawlConfig([{ url: seed }], { maxPages: 15 }, path.join(dir, 'own')), extract: { profilesDir } });
      expect(shipped.documents.length).toBeGreaterThan(3);
      expect(shipped.documents.every((document) => !document.headline.includes('dpa-infocom'))).toBe(true);
      expect(own.documents.length).toBe(shipped.documents.length);
      expect(own.documents.every((document) => document.headline === '© dpa-infocom GmbH')).toBe(true);
    } finally {
      await world.close();
    }
  }, 60_000);

  it('refuses to start a crawl with a broken profile, naming the file, before any request', async () => {
    const world = await startWorld({ portals: ['kuestenkurier'] });
    try {
      const seed = world.url('kuestenkurier', readManifest().portals.kuestenkurier!.seed);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'chronik-own-profiles-'));
      writeFileSync(path.join(dir, 'kaputt.json'), JSON.stringify({ name: 'kaputt', match: {}, headline: { selector: 'h1' }, unknownField: 1 }));
      await expect(crawlToOutbox({ ...crawlConfig([{ url: seed }], {}, path.join(dir, 'run')), extract: { profilesDir: dir } })).rejects.toThrow(/site profile kaputt\.json/);
      expect(world.accessLog).toEqual([]);
    } finally {
      await world.close();
    }
  }, 60_000);

  it('resolves the folder against the config file, like every path in it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'chronik-own-profiles-'));
    const file = path.join(dir, 'chronik.yaml');
    writeFileSync(file, 'sources:\n  - url: https://www.example.org/\ntopic:\n  name: t\n  anyOfEach: [[Schwerin]]\nextract:\n  profilesDir: meine-profile\n');
    const config = await loadConfig(file, {});
    expect(config.extract.profilesDir).toBe(path.join(dir, 'meine-profile'));
  });
});
