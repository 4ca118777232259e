import { createRequire } from 'node:module';
import type RobotsParserModule from 'robots-parser';
import type { RunningWorld, WorldManifest } from '../../fixtures/server/serve-world.js';
import type { IndexDocument } from '../../src/pipeline/types.js';

const robotsParser = createRequire(import.meta.url)('robots-parser') as typeof RobotsParserModule.default;

/** Which manifest articles the documents cover, by portal and path of their canonical URL. */
export function compareWithManifest(world: RunningWorld, manifest: WorldManifest, documents: IndexDocument[], portals = Object.keys(world.origins)) {
  const portalOf = (url: string): string | undefined => Object.entries(world.origins).find(([, origin]) => url.startsWith(`${origin}/`))?.[0];
  const found = new Set(documents.map((document) => `${portalOf(document.canonicalUrl)} ${new URL(document.canonicalUrl).pathname}`));
  const inScope = manifest.articles.filter((article) => portals.includes(article.portal));
  const onTopic = inScope.filter((article) => article.onTopic);
  const known = new Set(manifest.articles.map((article) => `${article.portal} ${article.path}`));
  return {
    onTopic: onTopic.length,
    missing: onTopic.filter((article) => !found.has(`${article.portal} ${article.path}`)).map((article) => `${article.portal} ${article.path}`),
    offTopicIndexed: inScope.filter((article) => !article.onTopic && found.has(`${article.portal} ${article.path}`)).map((article) => `${article.portal} ${article.path}`),
    /** Documents that are no manifest article at all (front pages, listings). */
    strangers: [...found].filter((key) => !known.has(key)),
    recall: onTopic.length === 0 ? 1 : (onTopic.length - onTopic.filter((article) => !found.has(`${article.portal} ${article.path}`)).length) / onTopic.length,
  };
}

/** Requests in the access log that robots.txt (for our user agent) disallows. */
export async function disallowedRequests(world: RunningWorld, userAgent: string): Promise<string[]> {
  const bad: string[] = [];
  for (const [portal, origin] of Object.entries(world.origins)) {
    const text = await (await fetch(`${origin}/robots.txt`)).text();
    const robots = robotsParser(`${origin}/robots.txt`, text);
    for (const entry of world.accessLog) {
      if (entry.portal !== portal || entry.userAgent !== userAgent) continue;
      if (robots.isAllowed(`${origin}${entry.path}`, userAgent) === false) bad.push(`${portal} ${entry.path}`);
    }
  }
  return bad;
}
