/**
 * One key per page, so the same article is fetched once however it was linked:
 * lower-case scheme and host, no default port, no fragment, no tracking parameters,
 * query parameters sorted.
 */
const TRACKING_PARAMETER = /^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_[a-z]+|wt_[a-z]+|wt\.[a-z_]+|ref|ref_src|at_[a-z]+|cmpid|icid|ito|xtor|__twitter_impression|ns_[a-z]+|s_cid|igshid|yclid)$/i;

export function canonicalKey(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  const kept = [...parsed.searchParams.entries()]
    .filter(([name]) => !TRACKING_PARAMETER.test(name))
    .sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a < b ? -1 : 1));
  parsed.search = '';
  for (const [name, value] of kept) parsed.searchParams.append(name, value);
  // URL already lower-cases scheme and host and drops default ports.
  return parsed.toString();
}

/** Resolves an href against its page; undefined for anything that is not an http(s) URL. */
export function resolveHttpUrl(href: string, baseUrl: string): string | undefined {
  const trimmed = href.trim();
  if (!trimmed || /^(javascript|mailto|tel|data):/i.test(trimmed)) return undefined;
  try {
    const resolved = new URL(trimmed, baseUrl);
    if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return undefined;
    resolved.hash = '';
    return resolved.toString();
  } catch {
    return undefined;
  }
}
