import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../../../src/scrapers/extract/extract-article.js';
import { compileDateFormat } from '../../../../src/scrapers/extract/profiles/date-format.js';
import { parseProfile, shippedProfiles } from '../../../../src/scrapers/extract/profiles/registry.js';

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
