import { z } from 'zod';

/** Meilisearch's window: no query can page past this many hits (pagination.maxTotalHits). */
export const MAX_TOTAL_HITS = 100_000;
/** One request to Meilisearch returns at most this many hits; exports page through in these steps. */
export const PAGE_LIMIT = 1000;

const values = z.array(z.string().min(1)).default([]);

/** One query model for the CLI, the HTTP API and the web page. */
export const timelineQuerySchema = z
  .object({
    text: z.string().max(500).default(''),
    from: z.iso.date().optional().describe('First day, inclusive (Europe/Berlin).'),
    to: z.iso.date().optional().describe('Last day, inclusive (Europe/Berlin).'),
    sites: values,
    stories: values.describe('storyId values: only copies of these stories.'),
    places: values,
    agencies: values,
    tags: values.describe('Tags/keywords the page declares; matched case-insensitively.'),
    group: z.enum(['day', 'week', 'month']).default('month'),
    /** stories: one entry per story (its earliest copy) with the other sources; copies: every article. */
    view: z.enum(['copies', 'stories']).default('copies'),
    sort: z.enum(['date-asc', 'date-desc', 'relevance']).default('date-asc'),
    limit: z.number().int().min(0).max(PAGE_LIMIT).default(50),
    offset: z.number().int().min(0).max(MAX_TOTAL_HITS).default(0),
    /** Words of body text around the first match in a snippet. */
    cropLength: z.number().int().min(5).max(200).default(30),
  })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from must not be after to', path: ['from'] });

export type TimelineQuery = z.infer<typeof timelineQuerySchema>;
export type TimelineQueryInput = z.input<typeof timelineQuerySchema>;
