import { describe, expect, it } from 'vitest';
import { renderSchema } from '../../../src/config/schema.js';
import { ChromiumRenderer } from '../../../src/scrapers/render/browser.js';

describe('ChromiumRenderer', () => {
  it('says clearly what to do when Chromium is missing, and never downloads a browser', async () => {
    const renderer = new ChromiumRenderer(renderSchema.parse({ executablePath: '/nonexistent/chromium' }));
    await expect(renderer.render('http://127.0.0.1:9/x')).rejects.toThrow(
      /Chromium not found at \/nonexistent\/chromium: install it \(Debian: apt-get install chromium\) or set crawl\.render\.executablePath/,
    );
    await renderer.close();
  });
});
