/**
 * Pure: does a page that yielded no article look like one whose text arrives by JavaScript?
 * Yes when it has scripts (external or substantial inline) but hardly any readable text in its
 * body once scripts, styles and navigation are removed. A plain hub page with many teasers has
 * text and is left alone.
 */
export function needsRender(html: string, minTextChars = 400): boolean {
  const hasScripts = /<script\b[^>]*\bsrc=/i.test(html) || /<script\b[^>]*>[\s\S]{200,}?<\/script>/i.test(html);
  if (!hasScripts) return false;
  const body = /<body\b[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  const text = body
    .replace(/<(script|style|noscript|template|nav|header|footer)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length < minTextChars;
}
