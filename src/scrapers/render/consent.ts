import type { Page } from 'playwright';

/**
 * Dismisses a cookie-consent dialog: the first configured selector that matches a visible
 * element is clicked. Returns the selector used, or undefined when no dialog was found (not an
 * error: most pages have none, or it was dismissed before).
 */
export async function dismissConsent(page: Page, selectors: readonly string[], timeoutMs = 1500): Promise<string | undefined> {
  for (const selector of selectors) {
    const target = page.locator(selector).first();
    try {
      if (!(await target.isVisible({ timeout: 50 }))) continue;
      await target.click({ timeout: timeoutMs });
      return selector;
    } catch {
      // Invalid for this engine, detached, or covered: try the next selector.
    }
  }
  return undefined;
}
