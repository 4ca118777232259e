import { createRequire } from 'node:module';
import type RobotsParserModule from 'robots-parser';

// robots-parser is CommonJS whose module.exports is the function; its typings declare an ES default.
const robotsParser = createRequire(import.meta.url)('robots-parser') as typeof RobotsParserModule.default;

export interface RobotsRules {
  isAllowed(url: string): boolean;
  /** Crawl-delay for our user agent, in seconds, if the site sets one. */
  crawlDelaySecs: number | undefined;
  sitemaps: string[];
}

/** Pure: robots.txt text → rules for one user agent. */
export function parseRobots(robotsUrl: string, text: string, userAgent: string): RobotsRules {
  const robot = robotsParser(robotsUrl, text);
  return {
    // robots-parser answers undefined for URLs of another origin; those are not ours to judge.
    isAllowed: (url) => robot.isAllowed(url, userAgent) !== false,
    crawlDelaySecs: robot.getCrawlDelay(userAgent),
    sitemaps: robot.getSitemaps(),
  };
}

/** What to do when robots.txt cannot be read: 4xx means no rules; 5xx or no answer means stay away. */
export function rulesForRobotsStatus(status: number | 'unreachable'): RobotsRules {
  const allowAll = status !== 'unreachable' && status >= 400 && status < 500;
  return { isAllowed: () => allowAll, crawlDelaySecs: undefined, sitemaps: [] };
}
