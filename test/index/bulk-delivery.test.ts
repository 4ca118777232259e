import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { openArticleIndex } from '../../src/index/meili-client.js';
import { deliverPending, IndexOutbox } from '../../src/index/outbox.js';
import { withStories } from '../../src/index/story-index.js';
import { StoryRegistry } from '../../src/index/story-registry.js';
import type { IndexDocument } from '../../src/pipeline/types.js';

const TEXT = [
  'Schwerin (dpa/mv) - Nach dem Angriff auf die kommunale IT in Westmecklenburg öffnen die Bürgerbüros wieder für erste Termine.',
  'Zunächst würden nur Ausweise und Meldebescheinigungen bearbeitet, teilte die Stadtverwaltung am Freitag mit.',
  'Die Zulassung von Fahrzeugen bleibe weiter eingeschränkt, weil die Fachverfahren noch nicht angebunden seien.',
].join('\n\n');
const OTHER = [
  'Parchim (dpa/mv) - Im Landkreis können Hunderte Temposünder nicht mehr belangt werden, weil Fristen verstrichen sind.',
  'Die Messdaten seien gesichert, ließen sich aber nicht rechtzeitig bearbeiten, sagte ein Sprecher des Kreises am Montag.',
].join('\n\n');

function doc(id: string, body: string, publishedAt: number): IndexDocument {
  return {
    id, storyId: id, url: `https://example.invalid/${id}`, canonicalUrl: `https://example.invalid/${id}`, site: 'example.invalid',
    headline: id, kicker: null, lead: null, body, dateline: null, place: null, agency: null, publishedAt, publishedIso: null,
    publishedSource: null, day: null, week: null, month: null, imageCaptions: [], imageCredits: [], searchTerms: '', fetchedAt: '2024-01-01T00:00:00Z',
    warcFile: null, warcOffset: null, payloadDigest: null,
  } as unknown as IndexDocument;
}

interface TaskSummary {
  type: string;
  status: string;
  details: { receivedDocuments?: number };
}

async function documentTasks(meili: { url: string; apiKey: string }, indexName: string): Promise<TaskSummary[]> {
  const response = await fetch(`${meili.url}/tasks?indexUids=${indexName}&types=documentAdditionOrUpdate&limit=100`, {
    headers: { Authorization: `Bearer ${meili.apiKey}` },
  });
  return ((await response.json()) as { results: TaskSummary[] }).results.reverse();
}

describe('bulk delivery from the outbox', () => {
  it('sends each document once and the story-id changes between batches in one update at the end', async () => {
    const meili = inject('meili');
    const name = `test-bulk-${randomUUID().slice(0, 8)}`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chronik-bulk-'));
    const outbox = new IndexOutbox(path.join(dir, 'outbox.sqlite'));
    const registry = new StoryRegistry(path.join(dir, 'stories.sqlite'));
    const index = withStories(openArticleIndex(meili, name), registry);
    await index.prepare();
    // Batches of two: the late copy in the first batch, its earlier original in the second.
    outbox.put([doc('late-copy', TEXT, 500), doc('other', OTHER, 300), doc('original', TEXT, 100), doc('another-copy', TEXT, 700)]);

    const delivered = await deliverPending(outbox, (documents) => index.enqueueDocuments(documents), 2, 8, () => index.enqueuePendingStoryIds());

    expect(delivered).toBe(4);
    expect(outbox.pendingCount).toBe(0);
    const stories = Object.fromEntries((await index.allDocuments()).map((document) => [document.id, document.storyId]));
    expect(stories).toEqual({ 'late-copy': 'original', original: 'original', 'another-copy': 'original', other: 'other' });
    // Two additions of two documents each, then one partial update of the one document sent too early.
    expect((await documentTasks(meili, name)).map((task) => [task.status, task.details.receivedDocuments])).toEqual([
      ['succeeded', 2],
      ['succeeded', 2],
      ['succeeded', 1],
    ]);
    expect(registry.pendingUpdates()).toEqual([]);
    outbox.close();
    registry.close();
  });
});
