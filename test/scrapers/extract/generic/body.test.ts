import { describe, expect, it } from 'vitest';
import { extractBody } from '../../../../src/scrapers/extract/generic/body.js';
import { parseHtml } from '../../../../src/scrapers/extract/html.js';

const body = (html: string) => extractBody(parseHtml(html));

const PROSE = [
  'Der Landkreis hat am Montag angekündigt, die Bürgerbüros nach der Störung schrittweise wieder zu öffnen, zunächst in Parchim.',
  'Wer einen Termin braucht, soll sich telefonisch melden, sagte eine Sprecherin, denn die Online-Buchung funktioniert noch nicht.',
  'Auch die Zulassungsstelle arbeitet wieder, allerdings mit Wartezeiten, weil viele Anträge liegen geblieben sind.',
];

describe('main-content heuristic', () => {
  it('keeps the article paragraphs and subheads in order, without navigation, teasers, "Weitere News" and comments', () => {
    const result = body(`<body><nav><ul><li><a href="/">Start</a></li><li><a href="/regional">Regional</a></li></ul></nav>
<div class="page"><div class="story"><p>${PROSE[0]}</p><h2>Termine nur telefonisch</h2><p>${PROSE[1]}</p><p>${PROSE[2]}</p></div>
<div class="teaser-list"><h2>Weitere News</h2><ul><li><a href="/a">Anderer Artikel mit langer Überschrift über etwas anderes</a></li><li><a href="/b">Noch ein Artikel</a></li></ul></div>
<div class="comments"><p>Leserin: Das hat ja lange gedauert, finde ich, und es ist ärgerlich, dass niemand informiert hat.</p></div></div>
<footer><p>Impressum, Datenschutz, Kontakt und alles andere, was in eine Fußzeile gehört.</p></footer></body>`);
    expect(result.paragraphs).toEqual([PROSE[0], 'Termine nur telefonisch', PROSE[1], PROSE[2]]);
    expect(result.subheads).toEqual([1]);
  });

  it('reads text separated by <br> inside a div as paragraphs', () => {
    const result = body(`<body><div class="post">${PROSE[0]}<br><br>${PROSE[1]}<br><br>${PROSE[2]}</div><div class="side"><a href="/x">Link</a></div></body>`);
    expect(result.paragraphs).toEqual(PROSE);
  });

  it('keeps table rows as lines of the body', () => {
    const result = body(`<body><article><h1>Titel</h1><p>${PROSE[0]}</p><table><tr><td>Parchim</td><td>geöffnet</td></tr><tr><td>Schwerin</td><td>geschlossen</td></tr></table><p>${PROSE[1]}</p></article></body>`);
    expect(result.paragraphs).toContain('Parchim geöffnet');
    expect(result.paragraphs).toContain('Schwerin geschlossen');
  });

  it('keeps a standfirst without dateline apart as the teaser, and starts the body at the dateline', () => {
    const result = body(`<body><article><h1>Bürgerbüros öffnen wieder</h1><p class="intro">Nach zwei Wochen gibt es wieder Termine.</p>
<div class="text"><p class="lead">Parchim (dpa/mv) - ${PROSE[0]}</p><p>${PROSE[1]}</p><p>${PROSE[2]}</p></div></article></body>`);
    expect(result.teaser).toBe('Nach zwei Wochen gibt es wieder Termine.');
    expect(result.paragraphs[0]).toBe(`Parchim (dpa/mv) - ${PROSE[0]}`);
    expect(result.lead).toBe(`Parchim (dpa/mv) - ${PROSE[0]}`);
  });

  it('takes the copyright line out of the text', () => {
    const result = body(`<body><article><h1>T</h1><p>${PROSE[0]}</p><p>${PROSE[1]}</p><p>© dpa-infocom GmbH</p></article></body>`);
    expect(result.copyright).toBe('© dpa-infocom GmbH');
    expect(result.paragraphs).toEqual([PROSE[0], PROSE[1]]);
  });

  it('drops a line that is only an update stamp, but keeps sentences that mention a date', () => {
    const result = body(`<body><article><h1>T</h1><p>Aktualisiert: 03.04.2020, 12:00 Uhr</p><p>${PROSE[0]}</p><p>Am 3. April 2020 wurde das Bürgerbüro in Parchim wieder geöffnet, hieß es.</p><p>${PROSE[1]}</p></article></body>`);
    expect(result.paragraphs).toEqual([PROSE[0], 'Am 3. April 2020 wurde das Bürgerbüro in Parchim wieder geöffnet, hieß es.', PROSE[1]]);
  });
});
