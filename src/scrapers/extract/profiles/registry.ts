import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheerioAPI } from '../html.js';
import { siteProfileSchema, type SiteProfile } from './schema.js';

/**
 * The profiles shipped with Chronik: every *.json file in src/scrapers/extract/profiles, read
 * once and validated. Adding a portal means adding one file. A file that does not validate is
 * an error naming the file and the field, at load time rather than in the middle of a crawl.
 */
let shipped: SiteProfile[] | undefined;

export function shippedProfiles(): SiteProfile[] {
  shipped ??= loadProfiles(profilesDir());
  return shipped;
}

export function loadProfiles(dir: string): SiteProfile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => parseProfile(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), file));
}

export function parseProfile(data: unknown, file = 'profile'): SiteProfile {
  const parsed = siteProfileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`site profile ${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  if (`${parsed.data.name}.json` !== file && file !== 'profile') throw new Error(`site profile ${file}: name must match the file name`);
  return parsed.data;
}

/** The JSON files live beside this module in src/; from dist/ they are read from the source tree. */
function profilesDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  if (here.split(path.sep).includes('dist')) {
    const fromDist = path.resolve(here, '../../../../../src/scrapers/extract/profiles');
    if (existsSync(fromDist)) return fromDist;
  }
  return here;
}

/** The first profile whose host list has the page's host, or whose siteName is the page's og:site_name. */
export function findProfile(profiles: SiteProfile[], url: string, $: CheerioAPI): SiteProfile | undefined {
  let host = '';
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
  const siteName = $('meta[property="og:site_name"]').attr('content')?.trim();
  return profiles.find((profile) =>
    profile.match.hosts.some((candidate) => candidate.toLowerCase().replace(/^www\./, '') === host) ||
    (profile.match.siteName !== undefined && profile.match.siteName === siteName));
}
