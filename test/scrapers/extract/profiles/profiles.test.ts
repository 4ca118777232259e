import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from '../../../../bench/eval-extraction.js';
import { extractRecord } from '../../../../src/scrapers/extract/extract-article.js';
import { compileDateFormat } from '../../../../src/scrapers/extract/profiles/date-format.js';
import { parseProfile, profilesWith, shippedProfiles } from '../../../../src/scrapers/extract/profiles/registry.js';

const PAGE = `<html><head><meta property="og:site_name" content="Boddenbote"></head><body>
<div class="top"><span class="ort">Greifswald</span><h1 class="titel">Brücke wird saniert</h1><span class="stand">Erschienen 30.10.2021 um 23.10</span></div>
<div class="inhalt"><p>Greifswald (dpa/mv) - Die Brücke über den Ryck wird ab dem kommenden Jahr saniert, wie die Stadt am Samstag mitteilte.</p>
<p class="werbung">Anzeige: Jetzt abonnieren und weiterlesen, solange der Vorrat reicht.</p>
<p>Für die Dauer der Arbeiten wird eine Umleitung über die Nachbarstraße eingerichtet, die Busse fahren weiter nach Plan.</p></div>
<div class="foto"><img src="/b.jpg"><span class="text">Die alte Brücke.</span><span class="quelle">Foto: Max Beispiel/dpa</span></div>
</body></html>`;

const PROFILE = {
  name: 'boddenbote',
  match: { siteName: 'Boddenbote' },
  kicker: { selector: '.top .ort' },
  headline: { selector: 'h1.titel' },
  published: { selector: '.stand', format: "'Erschienen' dd.MM.yyyy 'um' HH.mm" },
  body: { selector: '.inhalt', blocks: 'p', exclude: ['.werbung'] },
  images: { selector: '.foto', caption: '.text', credit: '.quelle' },
};

const input = (profiles: ReturnType<typeof parseProfile>[]) => ({
  body: new TextEncoder().encode(PAGE), url: 'http://127.0.0.1:4321/artikel/1.html', headers: {}, fetchedAt: '2021-11-01T10:00:00Z', profiles,
});

describe('site profiles', () => {
  it('override the generic result field by field, and leave unnamed fields to the generic extractor', () => {
    const generic = extractRecord(input([]))!;
    const profiled = extractRecord(input([parseProfile(PROFILE)]))!;
    expect(profiled.profile).toBe('boddenbote');
    expect(profiled.kicker).toEqual({ value: 'Greifswald', source: 'markup' });
    expect(profiled.published).toEqual({ value: '2021-10-30T23:10:00+02:00', source: 'text' });
    expect(profiled.paragraphs).toHaveLength(2);
    expect(profiled.paragraphs.join(' ')).not.toContain('Anzeige');
    expect(profiled.images).toEqual([{ src: 'http://127.0.0.1:4321/b.jpg', caption: 'Die alte Brücke.', credit: 'Foto: Max Beispiel/dpa' }]);
    expect(profiled.dateline).toEqual({ place: 'Greifswald', agency: 'dpa/mv' });
    expect(profiled.canonicalUrl).toBe(generic.canonicalUrl);
    expect(profiled.language).toBe(generic.language);
  });

  it('apply only to their own site', () => {
    const other = parseProfile({ ...PROFILE, name: 'anderes-blatt', match: { hosts: ['anderes-blatt.example'] } });
    expect(extractRecord(input([other]))!.profile).toBeUndefined();
  });

  it('are rejected with the file and field named when they do not fit the schema', () => {
    expect(() => parseProfile({ ...PROFILE, headline: { selektor: 'h1' } }, 'boddenbote.json')).toThrow(/boddenbote\.json: headline/);
    expect(() => parseProfile({ ...PROFILE, name: 'Mit Leerzeichen' })).toThrow(/name/);
  });

  it('ship as valid JSON files, each named after its profile, kuestenkurier among them', () => {
    const names = shippedProfiles().map((profile) => profile.name);
    expect(names).toContain('kuestenkurier');
  });

  it('read printed dates in their declared format, in Berlin time', () => {
    const parse = compileDateFormat("d. MMMM yyyy, HH:mm 'Uhr'");
    expect(parse('9. Dezember 2021, 14:35 Uhr')).toEqual({ iso: '2021-12-09T14:35:00+01:00', hasTime: true });
    expect(parse('30. Oktober 2021, 09:00 Uhr')?.iso).toBe('2021-10-30T09:00:00+02:00');
    expect(compileDateFormat('dd.MM.yyyy')('am 09.12.2021')).toEqual({ iso: '2021-12-09', hasTime: false });
    expect(parse('gestern')).toBeUndefined();
  });
});

describe('site profile matching and fields', () => {
  const page = (html: string) => ({ body: new TextEncoder().encode(html), url: 'http://127.0.0.1:4321/a/1.html', headers: {}, fetchedAt: '2021-11-01T10:00:00Z' });
  const TEXT = '<p>Parchim (dpa/mv) - Der Kreistag hat am Donnerstag den Haushalt für das kommende Jahr beschlossen, wie eine Sprecherin mitteilte.</p><p>Investiert werden soll vor allem in Schulen und in die Sanierung von Kreisstraßen, hieß es weiter aus der Verwaltung.</p>';
  const MASTHEAD = `<html><head><title>Heideblatt | Haushalt beschlossen</title></head><body><h1>Haushalt beschlossen</h1>${TEXT}
    <hr><b>Lesen Sie auch:</b><ul><li><a href="/a/2.html">Schulen werden saniert</a></li></ul>
    <div class="schlagworte"><span> Kreistag </span><span>Haushalt</span><span>kreistag</span></div></body></html>`;
  const heideblatt = parseProfile({
    name: 'heideblatt',
    match: { title: '^Heideblatt \\| ' },
    related: { block: 'hr ~ ul', label: 'b', labelBefore: true },
    tags: { selector: '.schlagworte span' },
  });

  it('match a portal without og:site_name by its page title', () => {
    expect(extractRecord({ ...page(MASTHEAD), profiles: [heideblatt] })!.profile).toBe('heideblatt');
    expect(extractRecord({ ...page(MASTHEAD.replace('<title>Heideblatt', '<title>Anderes Blatt')), profiles: [heideblatt] })!.profile).toBeUndefined();
    expect(extractRecord({ ...page(MASTHEAD.replace('<title>Heideblatt | ', '<title>Neues aus dem Heideblatt | ')), profiles: [heideblatt] })!.profile).toBeUndefined();
    expect(() => parseProfile({ name: 'kaputt', match: { title: '(' } }, 'kaputt.json')).toThrow(/kaputt\.json: match\.title: not a valid regular expression/);
  });

  it('read a related-links list whose label stands before it, and a visible tag list (normalised)', () => {
    const generic = extractRecord({ ...page(MASTHEAD), profiles: [] })!;
    const profiled = extractRecord({ ...page(MASTHEAD), profiles: [heideblatt] })!;
    expect(generic.relatedLinks).toEqual([]);
    expect(profiled.relatedLinks).toEqual([{ url: 'http://127.0.0.1:4321/a/2.html', title: 'Schulen werden saniert', sectionLabel: 'Lesen Sie auch:', category: undefined }]);
    expect(generic.tags).toBeUndefined();
    expect(profiled.tags).toEqual(['Kreistag', 'Haushalt']);
  });

  it('keep the generic value of a field they name but the page lacks', () => {
    const withoutList = MASTHEAD.replace(/<hr>[\s\S]*<\/ul>/, '').replace(/<div class="schlagworte">[\s\S]*?<\/div>/, '<meta name="keywords" content="Kreistag, Parchim">');
    const profiled = extractRecord({ ...page(withoutList), profiles: [heideblatt] })!;
    expect(profiled.tags).toEqual(['Kreistag', 'Parchim']);
  });

  it('from a researcher\'s folder come first and replace a shipped profile of the same name', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chronik-profiles-'));
    await writeFile(path.join(dir, 'heideblatt.json'), JSON.stringify({ name: 'heideblatt', match: { hosts: ['heideblatt.example'] } }));
    await writeFile(path.join(dir, 'kuestenkurier.json'), JSON.stringify({ name: 'kuestenkurier', match: { hosts: ['kuestenkurier.example'] } }));
    const profiles = profilesWith(dir);
    expect(profiles[0]!.name).toBe('heideblatt');
    expect(profiles.filter((profile) => profile.name === 'kuestenkurier')).toEqual([expect.objectContaining({ match: { hosts: ['kuestenkurier.example'] } })]);
    expect(profiles.map((profile) => profile.name)).toEqual(expect.arrayContaining(shippedProfiles().map((profile) => profile.name)));
    await writeFile(path.join(dir, 'kaputt.json'), '{ "name": "kaputt", ');
    expect(() => profilesWith(dir)).toThrow(/site profile kaputt\.json: not valid JSON/);
    expect(() => profilesWith(path.join(dir, 'fehlt'))).toThrow(/site profiles folder .*fehlt does not exist/);
  });
});

describe('the built registry (dist)', () => {
  it('finds the shipped profiles without the source tree', () => {
    const root = findProjectRoot();
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
    const copied = readdirSync(path.join(root, 'dist', 'src', 'scrapers', 'extract', 'profiles')).filter((file) => file.endsWith('.json'));
    const shipped = readdirSync(path.join(root, 'src', 'scrapers', 'extract', 'profiles')).filter((file) => file.endsWith('.json'));
    expect(copied.sort(), build.stderr + build.stdout).toEqual(shipped.sort());
    // A copy of dist/ alone (no src/ beside it), as an installed package has it.
    const installed = mkdtempSync(path.join(os.tmpdir(), 'chronik-dist-'));
    cpSync(path.join(root, 'dist', 'src'), path.join(installed, 'dist', 'src'), { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(installed, 'node_modules'));
    writeFileSync(path.join(installed, 'package.json'), '{"type":"module"}');
    const registry = pathToFileURL(path.join(installed, 'dist', 'src', 'scrapers', 'extract', 'profiles', 'registry.js')).href;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `const { shippedProfiles } = await import(${JSON.stringify(registry)}); console.log(JSON.stringify(shippedProfiles().map((p) => p.name)));`], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(shipped.map((file) => file.replace(/\.json$/, '')).sort());
  }, 320_000);
});
