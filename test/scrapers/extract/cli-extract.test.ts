import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/exit-codes.js';
import { main } from '../../../src/cli/main.js';
import { captureIo } from '../../helpers/cli-io.js';

const PAGE = `<html lang="de"><head><meta charset="windows-1252"></head><body><article><h1>Fähre fährt wieder</h1>
<time datetime="2021-10-30T09:15:00+02:00">30.10.2021</time>
<p>Sassnitz (dpa/mv) - Nach dem Sturm hat die Fähre am Samstag den Betrieb wieder aufgenommen, teilte die Reederei mit.</p>
<p>Reisende müssen sich dennoch auf Verspätungen einstellen, weil der Fahrplan erst am Sonntag wieder vollständig gilt.</p>
<p>Die Reederei entschuldigte sich bei den Fahrgästen und kündigte zusätzliche Abfahrten für den Nachmittag an.</p></article></body></html>`;

describe('chronik extract', () => {
  it('prints the record of a saved page as JSON, resolved against --url', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chronik-extract-'));
    await writeFile(path.join(dir, 'seite.html'), PAGE, 'utf8');
    const io = captureIo({}, dir);
    expect(await main(['extract', 'seite.html', '--url', 'https://zeitung.example/faehre.html', '--json'], io)).toBe(EXIT.ok);
    const printed = JSON.parse(io.out()) as { verdict: string; encoding: { name: string }; record: { headline: { value: string }; published: { value: string; source: string }; site: string; dateline: unknown } };
    expect(printed.verdict).toBe('article');
    expect(printed.encoding.name).toBe('utf-8');
    expect(printed.record.headline.value).toBe('Fähre fährt wieder');
    expect(printed.record.published).toEqual({ value: '2021-10-30T09:15:00+02:00', source: 'time-element' });
    expect(printed.record.site).toBe('zeitung.example');
    expect(printed.record.dateline).toEqual({ place: 'Sassnitz', agency: 'dpa/mv' });
  });

  it('prints a readable summary without --json, and names a missing file in one line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chronik-extract-'));
    await writeFile(path.join(dir, 'seite.html'), PAGE, 'utf8');
    const io = captureIo({}, dir);
    expect(await main(['extract', 'seite.html'], io)).toBe(EXIT.ok);
    expect(io.out()).toMatch(/Headline: +Fähre fährt wieder {2}\[markup\]/);
    expect(io.out()).toMatch(/Published: +2021-10-30T09:15:00\+02:00 {2}\[time-element\]/);
    const missing = captureIo({}, dir);
    expect(await main(['extract', 'fehlt.html'], missing)).toBe(EXIT.usage);
    expect(missing.err()).toContain('cannot read fehlt.html');
  });

  it('tries a folder of own profiles (--profiles) before the shipped ones', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chronik-extract-'));
    await writeFile(path.join(dir, 'seite.html'), PAGE, 'utf8');
    await mkdir(path.join(dir, 'profile'));
    // The page's first paragraph as its kicker: a field the generic extractor leaves empty here.
    const profile = { name: 'faehrblatt', match: { hosts: ['zeitung.example'] }, kicker: { selector: 'article p', trim: ' -' } };
    await writeFile(path.join(dir, 'profile', 'faehrblatt.json'), JSON.stringify(profile), 'utf8');
    const io = captureIo({}, dir);
    expect(await main(['extract', 'seite.html', '--url', 'https://zeitung.example/faehre.html', '--json', '--profiles', 'profile'], io)).toBe(EXIT.ok);
    const printed = JSON.parse(io.out()) as { record: { profile?: string; kicker?: { value: string } } };
    expect(printed.record.profile).toBe('faehrblatt');
    expect(printed.record.kicker?.value).toMatch(/^Sassnitz \(dpa\/mv\)/);
    const without = captureIo({}, dir);
    expect(await main(['extract', 'seite.html', '--url', 'https://zeitung.example/faehre.html', '--json'], without)).toBe(EXIT.ok);
    expect((JSON.parse(without.out()) as { record: { profile?: string } }).record.profile).toBeUndefined();
  });
});
