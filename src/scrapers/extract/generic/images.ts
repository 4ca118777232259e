import type { ImageRecord } from '../../../pipeline/types.js';
import { cleanText, type CheerioAPI } from '../html.js';

const CREDIT = /((?:Foto|Fotos|Bild|Bilder|Quelle|Grafik|Illustration):\s*[^©]+?)(?:\s*©.*)?$/i;

/** Images in the article with caption and credit ("Foto: Ole Spata/dpa"). */
export function extractImages($: CheerioAPI, pageUrl: string): ImageRecord[] {
  const scope = $('article').length ? $('article figure') : $('figure');
  return scope.toArray().map((figure) => {
    const caption = $(figure).find('figcaption');
    const creditElement = caption.find('.credit, .copyright, .source, .author, small').first();
    const captionText = cleanText(caption.text());
    let credit = cleanText(creditElement.text()) || undefined;
    if (!credit) credit = CREDIT.exec(captionText)?.[1]?.trim();
    const captionOnly = credit ? cleanText(captionText.replace(credit, '')) : captionText;
    const src = $(figure).find('img').attr('src');
    return {
      src: src ? safeResolve(src, pageUrl) : undefined,
      caption: captionOnly || undefined,
      credit,
    };
  });
}

function safeResolve(src: string, base: string): string | undefined {
  try {
    return new URL(src, base).toString();
  } catch {
    return undefined;
  }
}
