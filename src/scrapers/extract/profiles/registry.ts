import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChronikError } from '../../../errors.js';
import { pageElements } from '../generic/dom.js';
import { cleanText, type CheerioAPI } from '../html.js';
import { siteProfileSchema, type SiteProfile } from './schema.js';

/**
 * The profiles shipped with Chronik: every *.json file beside this module, read once and
 * validated. Adding a portal means adding one file. A file that does not validate is an error
 * naming the file and the field, at load time rather than in the middle of a crawl.
 * tsc does not copy JSON, so the `build` script copies the files next to the compiled module:
 * dist/ works without src/.
 */
let shipped: SiteProfile[] | undefined;

export function shippedProfiles(): SiteProfile[] {
  shipped ??= loadProfiles(SHIPPED_PROFILES_DIR);
  return shipped;
}

export const SHIPPED_PROFILES_DIR = path.dirname(fileURLToPath(import.meta.url));

/**
 * A researcher's own profiles (one JSON file each, same schema) ahead of the shipped ones, so a
 * local file for a portal replaces the shipped profile of that name.
 */
export function profilesWith(extraDir: string | undefined): SiteProfile[] {
  if (!extraDir) return shippedProfiles();
  if (!existsSync(extraDir)) throw new ChronikError('CONFIG_NOT_FOUND', `site profiles folder ${extraDir} does not exist (extract.profilesDir, --profiles)`);
  const own = loadProfiles(extraDir);
  const ownNames = new Set(own.map((profile) => profile.name));
  return [...own, ...shippedProfiles().filter((profile) => !ownNames.has(profile.name))];
}

export function loadProfiles(dir: string): SiteProfile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => parseProfile(readJson(path.join(dir, file), file), file));
}

function readJson(file: string, name: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ChronikError('CONFIG_INVALID', `site profile ${name}: not valid JSON (${(error as Error).message})`);
  }
}

export function parseProfile(data: unknown, file = 'profile'): SiteProfile {
  const parsed = siteProfileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ChronikError('CONFIG_INVALID', `site profile ${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  if (`${parsed.data.name}.json` !== file && file !== 'profile') throw new ChronikError('CONFIG_INVALID', `site profile ${file}: name must match the file name`);
  return parsed.data;
}

/**
 * The profile of the page: by host first, then by og:site_name, then by the page title.
 */
export function findProfile(profiles: SiteProfile[], url: string, $: CheerioAPI): SiteProfile | undefined {
  let host = '';
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
  const byHost = profiles.find((profile) => profile.match.hosts.some((candidate) => candidate.toLowerCase().replace(/^www\./, '') === host));
  if (byHost) return byHost;
  // meta[property="og:site_name"], from the page's element list rather than a query over the whole tree.
  const siteName = pageElements($).find((element) => element.name === 'meta' && element.attribs.property === 'og:site_name')?.attribs.content?.trim();
  const bySiteName = siteName ? profiles.find((profile) => profile.match.siteName === siteName) : undefined;
  if (bySiteName) return bySiteName;
  if (!profiles.some((profile) => profile.match.title)) return undefined;
  const title = pageTitle($);
  return title === undefined ? undefined : profiles.find((profile) => profile.match.title !== undefined && titlePattern(profile.match.title).test(title));
}

/** <html><head><title>, read by walking children only (no search of the whole tree). */
function pageTitle($: CheerioAPI): string | undefined {
  const html = $.root().children('html');
  const title = html.children('head').children('title').first();
  if (title.length) return cleanText(title.text());
  // htmlparser2 keeps a page's own structure: a title may sit in <html> or at the top level.
  const loose = html.children('title').add($.root().children('title')).add($.root().children('head').children('title')).first();
  return loose.length ? cleanText(loose.text()) : undefined;
}

const titlePatterns = new Map<string, RegExp>();

function titlePattern(pattern: string): RegExp {
  let compiled = titlePatterns.get(pattern);
  if (!compiled) titlePatterns.set(pattern, (compiled = new RegExp(pattern)));
  return compiled;
}
