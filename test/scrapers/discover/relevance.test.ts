import { describe, expect, it } from 'vitest';
import type { TopicProfile } from '../../../src/config/schema.js';
import type { ArticleRecord } from '../../../src/pipeline/types.js';
import { containsTerm, judgeArticle, scoreLink } from '../../../src/scrapers/discover/relevance.js';

const profile: TopicProfile = {
  name: 'KSM/SIS',
  anyOfEach: [['KSM', 'SIS', 'Schwerin', 'Ludwigslust-Parchim'], ['Cyberangriff', 'Hackerangriff', 'Schadsoftware']],
  exclude: ['Fußball'],
  from: '2021-10-01',
};

function article(headline: string, body: string, published?: string): ArticleRecord {
  return {
    url: 'https://example.org/a', canonicalUrl: 'https://example.org/a', site: 'example.org',
    headline: { value: headline, source: 'markup' }, paragraphs: [body], images: [], relatedLinks: [],
    fetchedAt: '2024-01-01T00:00:00Z', published: published ? { value: published, source: 'meta' } : undefined,
  };
}

describe('topic relevance', () => {
  it('keeps an article that names who was hit and what happened', () => {
    const verdict = judgeArticle(profile, article('Bürgerbüros wieder offen', 'Nach dem Cyberangriffs-Chaos beim KSM …', '2021-11-02T10:00:00+01:00'));
    expect(verdict.isOnTopic).toBe(true);
  });

  it('skips a cyberattack elsewhere and other news from the same place', () => {
    expect(judgeArticle(profile, article('Hackerangriff auf Universität', 'Eine Schadsoftware legte die Hochschule in Gießen lahm.')).isOnTopic).toBe(false);
    expect(judgeArticle(profile, article('Schlossfestspiele in Schwerin', 'Premiere vor ausverkauftem Haus.')).isOnTopic).toBe(false);
  });

  it('skips excluded headlines and dates before the window', () => {
    expect(judgeArticle(profile, article('Fußball in Schwerin', 'Nach dem Cyberangriff …')).isOnTopic).toBe(false);
    expect(judgeArticle(profile, article('Alt', 'Cyberangriff in Schwerin', '2020-05-01T10:00:00+02:00')).isOnTopic).toBe(false);
  });

  it('matches acronyms only as whole words, longer terms also inflected', () => {
    expect(containsTerm('Die SIS meldet', 'SIS')).toBe(true);
    expect(containsTerm('Basis und Krisis', 'SIS')).toBe(false);
    expect(containsTerm('des Cyberangriffs', 'Cyberangriff')).toBe(true);
    expect(containsTerm('Ludwigslust Parchim', 'Ludwigslust-Parchim')).toBe(true);
  });

  it('scores links by the term groups their text, category and URL match', () => {
    expect(scoreLink(profile, { url: 'https://example.org/cyberangriff-schwerin.html', anchorText: 'Neues' })).toBe(2);
    expect(scoreLink(profile, { url: 'https://example.org/x.html', anchorText: 'Hansa gewinnt' })).toBe(0);
  });
});
