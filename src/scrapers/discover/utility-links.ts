/**
 * Pure: links every article carries that never lead to news — share, print, comment, login and
 * account pages. Portals print several per article ("Teilen", "Drucken", "Link kopieren",
 * "Mein Konto"), so following them costs a request each and archives nothing worth citing.
 * Judged by the URL's path and query (a "#kommentare" fragment on an article link is still the
 * article) and by an anchor text that is only such a word.
 */
// Not "kommentar" or "comment": those name opinion sections, which hold articles.
const UTILITY_SEGMENT =
  /^(teilen|share|sharer|sharing|drucken|druckversion|print|printview|print-version|kommentieren|comments|leserkommentare|login|logout|log-in|log-out|signin|sign-in|signup|sign-up|anmelden|abmelden|einloggen|ausloggen|registrieren|registrierung|register|konto|mein-konto|account|my-account|merkliste|merken|bookmarks?|weiterempfehlen|empfehlen|versenden|email|e-mail|mailto)$/i;

const UTILITY_QUERY = /^(share|sharing|print|druck|drucken|replytocom|login|logout)$/i;
const UTILITY_ACTION = /^(print|share|login|logout|comment|register|edit)$/i;

const UTILITY_TEXT =
  /^(((artikel|beitrag|seite|link)\s+)?(teilen|drucken|kopieren|kommentieren|merken|versenden|weiterempfehlen)|link kopieren|per e-?mail (senden|teilen|versenden)|jetzt kommentieren|anmelden|abmelden|einloggen|ausloggen|login|logout|log in|sign in|registrieren|mein konto|share|print)$/i;

/** Every utility URL contains one of these; most links do not, and skip the parsing. */
const UTILITY_HINT = /teil|shar|druck|print|komment|comment|log|sign|anmeld|abmeld|regist|konto|account|merk|bookmark|empfehl|versend|mail|replyto|action/i;

export function isUtilityLink(url: string, anchorText = ''): boolean {
  if (!UTILITY_HINT.test(url)) return UTILITY_TEXT.test(anchorText.replace(/\s+/g, ' ').trim());
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // "login.html", "drucken.php": the segment's name without its extension.
  const segments = parsed.pathname.split('/').map((segment) => decodeSegment(segment).replace(/\.[a-z0-9]{2,5}$/i, ''));
  if (segments.some((segment) => UTILITY_SEGMENT.test(segment))) return true;
  for (const [name, value] of parsed.searchParams) {
    if (name.toLowerCase() === 'action' ? UTILITY_ACTION.test(value) : UTILITY_QUERY.test(name)) return true;
  }
  return UTILITY_TEXT.test(anchorText.replace(/\s+/g, ' ').trim());
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
