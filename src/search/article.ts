import type { ArticleIndex } from '../index/meili-client.js';
import type { IndexDocument } from '../pipeline/types.js';
import { toStoryCopy, type StoryCopy } from './run-timeline.js';
import { toSiblingsRequest } from './to-search-params.js';

export interface ArticleView {
  article: Omit<IndexDocument, 'warcFile' | 'warcOffset' | 'payloadDigest'> & { archived: boolean };
  /** Every copy of the article's story, this one included, oldest first. */
  story: StoryCopy[];
}

/** One article with its story siblings; undefined when no article has this id. */
export async function articleWithStory(index: ArticleIndex, id: string): Promise<ArticleView | undefined> {
  const document = await index.getDocument(id);
  if (!document) return undefined;
  const storyId = document.storyId ?? document.id;
  const request = toSiblingsRequest([storyId], 200);
  const copies = (await index.search(request.text, request.params)).hits.map(toStoryCopy);
  const { warcFile, warcOffset: _offset, payloadDigest: _digest, ...rest } = document;
  return {
    article: { ...rest, storyId, archived: Boolean(warcFile) },
    story: copies.some((copy) => copy.id === document.id) ? copies : [toStoryCopy(document), ...copies],
  };
}
