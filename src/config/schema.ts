import { z } from 'zod';

/**
 * The one place that defines every option: its type, default and meaning.
 * A config file (YAML) only needs the fields it changes; everything else defaults.
 */

const httpUrl = z
  .string()
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), {
    message: 'expected an http(s) URL',
  });

export const sourceSchema = z
  .object({
    url: httpUrl.describe('Where the crawl starts. For kind search, "{query}" marks where the query goes.'),
    kind: z
      .enum(['seed', 'topic', 'search', 'feed', 'sitemap'])
      .default('seed')
      .describe(
        'seed: an article page whose related links lead to the rest of the story; topic: a topic/tag page ' +
          '(its pagination is followed); search: a site-search URL with {query}; feed: RSS or Atom; ' +
          'sitemap: a sitemap or sitemap index (Google-News sitemaps too).',
      ),
    query: z.string().min(1).optional().describe('For kind search: the query put in place of {query}.'),
  })
  .strict()
  .refine((source) => source.kind !== 'search' || (source.query !== undefined && source.url.includes('{query}')), {
    message: 'a search source needs a url with {query} and a query',
  });

export const topicSchema = z
  .object({
    name: z.string().min(1).describe('Name of the incident, shown in summaries.'),
    anyOfEach: z
      .array(z.array(z.string().min(1)).min(1))
      .min(1)
      .describe(
        'Groups of terms; an article is on topic when it contains at least one term of every group ' +
          '(for example: who was hit, and what happened).',
      ),
    exclude: z
      .array(z.string().min(1))
      .default([])
      .describe('Terms that mark an article as off topic when they appear in its headline.'),
    from: z.iso.date().optional().describe('Earliest publication day (YYYY-MM-DD) kept.'),
    to: z.iso.date().optional().describe('Latest publication day (YYYY-MM-DD) kept.'),
  })
  .strict();

/** Selectors tried in order to dismiss a cookie-consent dialog; the first visible match is clicked. */
const DEFAULT_CONSENT_SELECTORS = [
  '#consent-accept',
  'button[data-consent="accept"]',
  '#didomi-notice-agree-button',
  '.sp_choice_type_11',
  'button:has-text("Alle akzeptieren")',
  'button:has-text("Akzeptieren")',
  'button:has-text("Zustimmen")',
  'button[id*="accept" i]',
  'button[class*="accept" i]',
];

export const renderSchema = z
  .object({
    hosts: z.array(z.string().min(1)).default([]).describe('Hosts whose pages are always rendered in Chromium.'),
    auto: z.boolean().default(true).describe('Render a page that has scripts but no article text.'),
    executablePath: z.string().default('/usr/bin/chromium').describe('Chromium to drive (never downloaded).'),
    maxPages: z.number().int().min(1).default(2).describe('Pages rendered at once in the one browser.'),
    timeoutMs: z.number().int().min(100).default(15_000).describe('Per page: load, consent click, settle.'),
    consentSelectors: z
      .array(z.string().min(1))
      .default(DEFAULT_CONSENT_SELECTORS)
      .describe('Tried in order to dismiss a cookie-consent dialog before the page is read.'),
  })
  .strict();

export const crawlSchema = z
  .object({
    maxDepth: z.number().int().min(0).default(4).describe('Link hops from a seed.'),
    maxPages: z.number().int().min(1).default(500).describe('Fetches per run, at most.'),
    concurrency: z.number().int().min(1).max(64).default(4).describe('Fetches under way at once.'),
    perHostConcurrency: z.number().int().min(1).default(1).describe('Fetches at once per host.'),
    minDelayMs: z
      .number()
      .int()
      .min(0)
      .default(1000)
      .describe('Pause between two requests to the same host (robots.txt Crawl-delay wins if longer).'),
    timeoutMs: z.number().int().min(100).default(20_000).describe('Per request, headers and body.'),
    maxBodyBytes: z.number().int().min(1024).default(10_000_000).describe('Larger bodies are refused.'),
    userAgent: z
      .string()
      .min(1)
      .default('Chronik/0.1 (news-archive research crawler; +https://github.com/chronik-archive/chronik)')
      .describe('Sent with every request; names the crawler and a contact URL.'),
    allowHosts: z
      .array(z.string().min(1))
      .default([])
      .describe('Hosts that may be fetched; empty means the hosts of the configured sources.'),
    allowPrivateAddresses: z
      .boolean()
      .default(false)
      .describe('Allow loopback and private addresses (only for the offline fixture world).'),
    respectRobotsTxt: z.boolean().default(true).describe('Obey robots.txt rules and Crawl-delay.'),
    robotsSitemaps: z
      .boolean()
      .default(false)
      .describe('Also read the sitemaps that robots.txt of a source host names (Sitemap: lines).'),
    maxHubDepth: z
      .number()
      .int()
      .min(0)
      .default(2)
      .describe('Hub pages (topic, search, archive listings) passed in a row without an on-topic article between.'),
    maxPaginationPages: z.number().int().min(1).default(20).describe('Pages of one paginated listing followed, at most.'),
    minLinkScore: z
      .number()
      .min(0)
      .default(0)
      .describe('Links from hubs, feeds and sitemaps scoring below this (term groups matched by text, context, URL) are not fetched.'),
    maxAttempts: z.number().int().min(1).default(3).describe('Tries per URL for 429, 503, 5xx and network failures.'),
    maxBackoffMs: z
      .number()
      .int()
      .min(0)
      .default(60_000)
      .describe('Longest pause of a host after 429/503 (exponential, or Retry-After when given).'),
    stateFile: z
      .string()
      .min(1)
      .default('crawl-state.sqlite')
      .describe('Frontier and crawl log in state.dir; an unfinished crawl resumes from it.'),
    logFile: z
      .string()
      .optional()
      .describe('Structured log (JSON lines) of the crawl; relative to state.dir. Unset: crawl.log in state.dir.'),
    render: renderSchema.default(renderSchema.parse({})),
  })
  .strict();

export const archiveSchema = z
  .object({
    dir: z.string().min(1).default('data/archive').describe('Folder of the WARC files.'),
    maxFileBytes: z
      .number()
      .int()
      .min(1024)
      .default(100_000_000)
      .describe('A WARC file is closed and a new one started past this size.'),
  })
  .strict();

export const indexSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_-]+$/).default('articles').describe('Meilisearch index uid.'),
    meiliUrl: z
      .string()
      .optional()
      .describe('External Meilisearch URL (env MEILI_URL). Unset: start the bundled server.'),
    masterKey: z.string().optional().describe('Key for the external server (env MEILI_MASTER_KEY).'),
    dataDir: z.string().min(1).default('data/meili').describe('Data folder of the bundled server.'),
    port: z.number().int().min(1).max(65535).optional().describe('Port of the bundled server (default 7700, or a free one).'),
    maxIndexingMemory: z.string().default('1GiB').describe('Memory cap for bulk indexing.'),
  })
  .strict();

export const stateSchema = z
  .object({
    dir: z
      .string()
      .min(1)
      .default('data/state')
      .describe('Crawl state: the index outbox (documents waiting for Meilisearch) and crawl bookkeeping.'),
  })
  .strict();

export const updateSchema = z
  .object({
    recheckRecentDays: z
      .number()
      .min(0)
      .default(3)
      .describe(
        '`chronik update` re-checks (conditional GET) known articles published this many days ago or later, ' +
          'besides the sources and whatever a feed or sitemap dates after our copy.',
      ),
  })
  .strict();

export const extractSchema = z
  .object({
    profilesDir: z
      .string()
      .min(1)
      .optional()
      .describe(
        "A folder of your own site profiles (one JSON file per portal, schema as the shipped ones in src/scrapers/extract/profiles/). " +
          'They come before the shipped profiles; a file with the name of a shipped profile replaces it. Relative to this file.',
      ),
  })
  .strict();

export const serverSchema = z
  .object({
    host: z.string().default('127.0.0.1').describe('Address the web page listens on.'),
    port: z.number().int().min(0).max(65535).default(8787).describe('Port of the web page.'),
  })
  .strict();

export const configSchema = z
  .object({
    sources: z.array(sourceSchema).min(1).describe('Where crawling starts.'),
    topic: topicSchema,
    crawl: crawlSchema.default(crawlSchema.parse({})),
    archive: archiveSchema.default(archiveSchema.parse({})),
    index: indexSchema.default(indexSchema.parse({})),
    state: stateSchema.default(stateSchema.parse({})),
    server: serverSchema.default(serverSchema.parse({})),
    update: updateSchema.default(updateSchema.parse({})),
    extract: extractSchema.default(extractSchema.parse({})),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type TopicProfile = z.infer<typeof topicSchema>;
export type CrawlOptions = z.infer<typeof crawlSchema>;
export type UpdateOptions = z.infer<typeof updateSchema>;
export type RenderOptions = z.infer<typeof renderSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
