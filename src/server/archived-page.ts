import * as cheerio from 'cheerio';
import type { ArchivedResponse } from '../archive/warc-reader.js';
import { decodeHtml } from '../scrapers/extract/encoding.js';

/**
 * The policy for an archived page: no script of any kind, nothing fetched from anywhere (images
 * only as data: URLs), and a sandbox, so even markup the sanitiser missed stays inert.
 */
export const ARCHIVED_PAGE_POLICY =
  "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

const REMOVED_ELEMENTS = 'script, noscript, iframe, frame, frameset, object, embed, applet, base, meta[http-equiv], link, portal, template';
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'cite', 'data', 'srcset', 'ping']);

/** The capture's text, decoded as the extractor decodes pages (HTTP charset, meta tag, sniffing). */
export function decodeCapture(response: Pick<ArchivedResponse, 'headers' | 'body'>): string {
  return decodeHtml(response.body, response.headers['content-type']).text;
}

/**
 * Pure: scraped HTML → HTML without scripts, event handlers, frames or script URLs; relative
 * links made absolute to the original; a banner saying what this is. Scraped text stays text.
 */
export function sanitiseArchivedPage(html: string, capture: { url: string; date: string }): string {
  const $ = cheerio.load(html);
  $(REMOVED_ELEMENTS).remove();
  $('*').each((_, node) => {
    if (node.type !== 'tag') return;
    for (const name of Object.keys(node.attribs)) {
      const lower = name.toLowerCase();
      const value = node.attribs[name] ?? '';
      if (lower.startsWith('on') || lower === 'srcdoc' || lower === 'style' && /expression|url\s*\(/i.test(value)) {
        $(node).removeAttr(name);
      } else if (URL_ATTRIBUTES.has(lower)) {
        const absolute = lower === 'srcset' ? undefined : safeUrl(value, capture.url);
        if (absolute === undefined) $(node).removeAttr(name);
        else $(node).attr(name, absolute);
      }
    }
  });
  $('a[href]').attr('rel', 'noopener noreferrer').attr('target', '_top');
  const banner = $('<div data-chronik-banner></div>').attr(
    'style',
    'all:initial;display:block;font:14px/1.4 system-ui,sans-serif;background:#fff3cd;color:#3d2f00;padding:8px 12px;border-bottom:1px solid #d6b656',
  );
  banner.text(`Archivierte Kopie (Chronik, aus dem WARC-Archiv) von ${capture.url}, erfasst ${capture.date}. Skripte sind entfernt und gesperrt.`);
  if ($('body').length > 0) $('body').prepend(banner);
  else $.root().prepend(banner);
  return $.html();
}

/** An http(s) URL resolved against the page; anything else (javascript:, data:, vbscript:) → undefined. */
function safeUrl(value: string, base: string): string | undefined {
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
