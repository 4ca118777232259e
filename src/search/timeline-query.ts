import { z } from 'zod';

/** One query model for the CLI, the HTTP API and the web page. */
export const timelineQuerySchema = z
  .object({
    text: z.string().default(''),
    from: z.iso.date().optional().describe('First day, inclusive (Europe/Berlin).'),
    to: z.iso.date().optional().describe('Last day, inclusive (Europe/Berlin).'),
    sites: z.array(z.string().min(1)).default([]),
    group: z.enum(['day', 'week', 'month']).default('month'),
    sort: z.enum(['date-asc', 'date-desc', 'relevance']).default('date-asc'),
    limit: z.number().int().min(1).max(1000).default(50),
    offset: z.number().int().min(0).default(0),
  })
  .strict();

export type TimelineQuery = z.infer<typeof timelineQuerySchema>;
export type TimelineQueryInput = z.input<typeof timelineQuerySchema>;
