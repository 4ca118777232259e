import { describe, expect, it } from 'vitest';
import { needsRender } from '../../../src/scrapers/render/needs-render.js';

describe('needsRender', () => {
  it('says yes for a script shell with no readable text', () => {
    const shell = '<html><head><script src="/static/app.js" defer></script></head><body><nav>Start Politik</nav><div id="app" data-api="/api/x.json"><p>Lädt …</p></div></body></html>';
    expect(needsRender(shell)).toBe(true);
  });

  it('says no for a page that has its text, and for a page without scripts', () => {
    const text = `<p>${'Schwerin (dpa/mv) - Ein Angriff auf die Computersysteme. '.repeat(12)}</p>`;
    expect(needsRender(`<html><body><script src="/a.js"></script>${text}</body></html>`)).toBe(false);
    expect(needsRender('<html><body><p>kurz</p></body></html>')).toBe(false);
  });
});
