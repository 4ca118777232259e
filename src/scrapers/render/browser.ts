import { existsSync } from 'node:fs';
import PQueue from 'p-queue';
import type { Browser } from 'playwright';
import type { RenderOptions } from '../../config/schema.js';
import { ChronikError } from '../../errors.js';
import { dismissConsent } from './consent.js';

/** Flags for Debian's Chromium in a container: no sandbox, no GPU, no phoning home. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * One Chromium (Debian's, never downloaded) for the whole crawl, started on the first page
 * that needs it; at most `maxPages` pages at once, each closed after use. Requests of the page
 * go only where the crawl may go (the allow-list); everything else is aborted.
 */
export class ChromiumRenderer {
  readonly #options: RenderOptions;
  readonly #queue: PQueue;
  #browser: Promise<Browser> | undefined;

  constructor(options: RenderOptions) {
    this.#options = options;
    this.#queue = new PQueue({ concurrency: options.maxPages });
  }

  /**
   * Renders a page. With `rawHtml` (the response already fetched and archived) the page's own
   * URL is answered from it, so the page is not requested twice; its scripts and data still load.
   */
  render(url: string, isAllowedUrl: (url: string) => boolean = () => true, userAgent?: string, rawHtml?: Uint8Array): Promise<{ html: string; finalUrl: string }> {
    return this.#queue.add(async () => {
      const browser = await this.#launch();
      const context = await browser.newContext({ ...(userAgent ? { userAgent } : {}), locale: 'de-DE', serviceWorkers: 'block' });
      try {
        let served = false;
        await context.route('**/*', (route) => {
          const requested = route.request().url();
          if (rawHtml && !served && requested === url) {
            served = true;
            return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: Buffer.from(rawHtml) });
          }
          return isAllowedUrl(requested) ? route.continue() : route.abort('blockedbyclient');
        });
        const page = await context.newPage();
        page.setDefaultTimeout(this.#options.timeoutMs);
        await page.goto(url, { waitUntil: 'domcontentloaded', timeout: this.#options.timeoutMs });
        await dismissConsent(page, this.#options.consentSelectors);
        // Let the page's scripts fetch and insert the article text. "networkidle" alone is not
        // enough: it may have been reached before the consent click started the data request.
        await page
          .waitForFunction((minChars) => (document.body?.innerText ?? '').trim().length >= minChars, 400, { timeout: this.#options.timeoutMs })
          .catch(() => undefined);
        await page.waitForLoadState('networkidle', { timeout: this.#options.timeoutMs }).catch(() => undefined);
        return { html: await page.content(), finalUrl: page.url() };
      } catch (error) {
        throw new ChronikError('FETCH_FAILED', `${url}: rendering in Chromium failed (${(error as Error).message.split('\n')[0]})`, { action: 'skip-url', cause: error });
      } finally {
        await context.close().catch(() => undefined);
      }
    }) as Promise<{ html: string; finalUrl: string }>;
  }

  async close(): Promise<void> {
    const browser = this.#browser;
    this.#browser = undefined;
    if (browser) await (await browser.catch(() => undefined))?.close().catch(() => undefined);
  }

  #launch(): Promise<Browser> {
    if (!this.#browser) {
      const executablePath = this.#options.executablePath;
      this.#browser = (async () => {
        if (!existsSync(executablePath)) {
          throw new ChronikError(
            'FETCH_FAILED',
            `Chromium not found at ${executablePath}: install it (Debian: apt-get install chromium) or set crawl.render.executablePath; pages that need JavaScript are skipped`,
            { action: 'skip-url' },
          );
        }
        const { chromium } = await import('playwright');
        return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
      })();
      // A failed launch is reported for every page that needed it, not retried per page.
    }
    return this.#browser;
  }
}
