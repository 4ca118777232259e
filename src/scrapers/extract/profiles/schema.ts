import { z } from 'zod';

/**
 * A site profile: one small declarative JSON file per known portal (profiles/<name>.json). Each
 * field it names overrides the generic extractor's value for that field; fields it leaves out keep
 * the generic value. Selectors are CSS (cheerio). A profile applies when the page's host is one of
 * `match.hosts`, or its og:site_name equals `match.siteName`, or its <title> matches `match.title`
 * (portals served from test hosts).
 */
const selector = z.string().min(1);

const textField = z.object({
  selector,
  /** Read this attribute instead of the text. */
  attribute: z.string().optional(),
  /** Remove these sub-elements before reading the text. */
  remove: z.array(selector).optional(),
  /** Characters trimmed from both ends after reading, e.g. ":". */
  trim: z.string().optional(),
}).strict();

const dateField = textField.extend({
  /**
   * How the page prints the date when it is not ISO 8601: "dd.MM.yyyy, HH:mm 'Uhr'",
   * "d. MMMM yyyy", … (tokens yyyy yy MMMM MM M dd d HH H mm; quoted text is literal).
   * Local times are Europe/Berlin.
   */
  format: z.string().optional(),
}).strict();

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

export const siteProfileSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string().optional(),
  match: z.object({
    hosts: z.array(z.string()).default([]),
    siteName: z.string().optional(),
    /**
     * A regular expression the page's <title> matches, e.g. " – Havelblick$", for portals that give
     * no og:site_name and are served from other hosts (mirrors, test servers). A title, not a CSS
     * selector: it is tried on every page no host matched, and reading the title costs no tree walk.
     */
    title: z.string().min(1).refine(isRegExp, { message: 'not a valid regular expression' }).optional(),
  }).strict(),
  headline: textField.optional(),
  kicker: textField.optional(),
  lead: textField.optional(),
  /** A standfirst printed apart from the body text. */
  teaser: textField.optional(),
  published: dateField.optional(),
  modified: dateField.optional(),
  body: z.object({
    /** The element(s) holding the article text. */
    selector,
    /** Blocks read from it, in document order. */
    blocks: selector.default('p, h2, h3, h4, li, blockquote'),
    /** Blocks or regions to leave out. */
    exclude: z.array(selector).default([]),
    /** Subhead blocks (their indexes are recorded). */
    subheads: selector.default('h2, h3, h4'),
    /** Whether the lead is the first paragraph of the body. */
    leadInBody: z.boolean().default(true),
  }).strict().optional(),
  copyright: textField.optional(),
  authors: textField.optional(),
  images: z.object({
    selector,
    caption: selector.optional(),
    credit: selector.optional(),
  }).strict().optional(),
  /** Visible tags ("Themen"): one tag per matching element. */
  tags: z.object({ selector }).strict().optional(),
  related: z.object({
    /** Each block of links: its label is the first heading inside it. */
    block: selector,
    label: selector.default('h2, h3, h4'),
    /** The label stands just before the block (a bold line above a list), not inside it. */
    labelBefore: z.boolean().default(false),
    link: selector.default('a[href]'),
    category: selector.optional(),
    title: selector.optional(),
  }).strict().optional(),
}).strict();

export type SiteProfile = z.infer<typeof siteProfileSchema>;
