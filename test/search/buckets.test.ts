import { describe, expect, it } from 'vitest';
import { bucketRange, toHistogram, weekKeyOf } from '../../src/search/buckets.js';
import { toFilter, toSearchRequest } from '../../src/search/to-search-params.js';
import { timelineQuerySchema } from '../../src/search/timeline-query.js';

describe('histogram buckets', () => {
  it('knows the first and last day of a day, an ISO week and a month', () => {
    expect(bucketRange('2021-12-09')).toEqual({ from: '2021-12-09', to: '2021-12-09' });
    expect(bucketRange('2021-W49')).toEqual({ from: '2021-12-06', to: '2021-12-12' });
    expect(bucketRange('2020-W53')).toEqual({ from: '2020-12-28', to: '2021-01-03' });
    expect(bucketRange('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(bucketRange('nonsense')).toBeUndefined();
    expect(weekKeyOf('2021-01-03')).toBe('2020-W53');
  });

  it('fills empty buckets between the first and the last, across a year boundary', () => {
    expect(toHistogram({ '2020-W52': 2, '2021-W02': 1 }, 'week').map((bucket) => `${bucket.key}:${bucket.count}`)).toEqual([
      '2020-W52:2', '2020-W53:0', '2021-W01:0', '2021-W02:1',
    ]);
    expect(toHistogram({ '2021-12-30': 1, '2022-01-02': 3 }, 'day').map((bucket) => bucket.count)).toEqual([1, 0, 0, 3]);
    expect(toHistogram({}, 'month')).toEqual([]);
  });

  it('keeps only filled buckets when the gaps would be too many', () => {
    expect(toHistogram({ '2001-01-01': 1, '2024-01-01': 1 }, 'day', 100).map((bucket) => bucket.key)).toEqual(['2001-01-01', '2024-01-01']);
  });
});

describe('query → Meilisearch parameters', () => {
  it('turns filters into quoted IN lists and the story view into distinct on storyId', () => {
    const query = timelineQuerySchema.parse({ sites: ['a "b"'], stories: ['s1'], places: ['Schwerin'], agencies: ['dpa/mv'], view: 'stories' });
    expect(toFilter(query)).toEqual(['site IN ["a \\"b\\""]', 'storyId IN ["s1"]', 'place IN ["Schwerin"]', 'agency IN ["dpa/mv"]']);
    const request = toSearchRequest(query);
    expect(request.params.distinct).toBe('storyId');
    expect(request.params.sort).toEqual(['publishedAt:asc']);
    expect(request.params.attributesToRetrieve).not.toContain('body');
  });

  it('sorts only when asked for a date order', () => {
    expect(toSearchRequest(timelineQuerySchema.parse({ sort: 'relevance' })).params.sort).toBeUndefined();
    expect(toSearchRequest(timelineQuerySchema.parse({ sort: 'date-desc' })).params.sort).toEqual(['publishedAt:desc']);
  });

  it('rejects a range that ends before it starts', () => {
    expect(timelineQuerySchema.safeParse({ from: '2022-01-02', to: '2022-01-01' }).success).toBe(false);
  });
});
