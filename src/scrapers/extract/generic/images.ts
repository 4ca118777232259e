import type { ImageRecord } from '../../../pipeline/types.js';
import { cleanText, type CheerioAPI } from '../html.js';
import { hasAncestorNamed, pageElements } from './dom.js';

/** "Foto: Ole Spata/dpa" at the end of a caption, optionally in parentheses or after a ©. */
const CREDIT = /\(?((?:Foto|Fotos|Bild|Bilder|Quelle|Grafik|Illustration|Photo|Image|Credit)s?:\s*[^():©]+?)\)?\s*$/i;
/** Caption lines printed outside <figure> ("bildzeile", "bildunterschrift", "caption"). */
const CAPTION_CLASS = /(^|[\s_-])(bild|bildzeile|bildunterschrift|bildtext|caption|image-caption|photo-caption|wp-caption-text)([\s_-]|$)/i;

/** Images in the article with caption and credit ("Foto: Ole Spata/dpa"). */
export function extractImages($: CheerioAPI, pageUrl: string): ImageRecord[] {
  const elements = pageElements($);
  const figures = elements.filter((element) => element.name === 'figure');
  const inArticle = elements.some((element) => element.name === 'article');
  const scope = inArticle ? figures.filter((figure) => hasAncestorNamed(figure, 'article')) : figures;
  const images = scope.map((figure) => {
    const caption = $(figure).find('figcaption');
    const creditElement = caption.find('.credit, .copyright, .source, .author, small').first();
    const src = $(figure).find('img').attr('src');
    return { src: src ? safeResolve(src, pageUrl) : undefined, ...splitCaption(cleanText(caption.text()), cleanText(creditElement.text())) };
  });
  if (images.length) return images;
  // Layouts without <figure>: a caption line with a credit, by its class.
  return elements
    .filter((element) => element.attribs.class !== undefined && CAPTION_CLASS.test(element.attribs.class ?? '') && $(element).find('[class]').toArray().every((inner) => !CAPTION_CLASS.test(inner.attribs.class ?? '')))
    .map((element) => splitCaption(cleanText($(element).text()), ''))
    .filter((image) => image.credit !== undefined)
    .slice(0, 20);
}

function splitCaption(text: string, markedCredit: string): Pick<ImageRecord, 'caption' | 'credit'> {
  let credit = markedCredit || undefined;
  let caption = text;
  if (!credit) {
    const match = CREDIT.exec(text);
    if (match) {
      credit = match[1]!.trim();
      caption = text.slice(0, match.index);
    }
  } else {
    caption = text.replace(credit, '');
  }
  caption = cleanText(caption.replace(/^(Bild|Foto):\s*/i, '').replace(/[\s(]+$/, ''));
  return { caption: caption || undefined, credit };
}

function safeResolve(src: string, base: string): string | undefined {
  try {
    return new URL(src, base).toString();
  } catch {
    return undefined;
  }
}
