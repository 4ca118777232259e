import { describe, expect, it } from 'vitest';
import { CrawlProgress, formatProgress } from '../../src/cli/progress.js';
import { captureIo } from '../helpers/cli-io.js';

describe('crawl progress', () => {
  it('formats fetched, queued, on-topic, errors and pages per second', () => {
    expect(formatProgress({ fetched: 120, queued: 40, onTopic: 31, errors: 2 }, 40_000)).toBe('fetched 120  queued 40  on topic 31  errors 2  3.0 pages/s');
  });

  it('writes plain lines when not on a terminal: the pass, on-topic finds, failures; no status line', () => {
    const io = captureIo({}, '/');
    const progress = new CrawlProgress(io, { verbose: false });
    progress.onEvent({ type: 'pass', pass: 3, resumed: true, releasedLeases: 2, reason: 'resumed', mode: 'crawl', carriedOver: 0, stateFile: '/s/crawl-state.sqlite' });
    progress.onEvent({ type: 'article', url: 'http://x/a', isOnTopic: true, headline: 'A', reasons: [] });
    progress.onEvent({ type: 'article', url: 'http://x/b', isOnTopic: false, headline: 'B', reasons: [] });
    progress.onEvent({ type: 'progress', fetched: 2, queued: 1, onTopic: 1, errors: 0 });
    progress.onEvent({ type: 'failed', url: 'http://x/c', message: 'http://x/c: HTTP 500' });
    expect(io.err()).toBe(
      'Resuming crawl pass 3 from /s/crawl-state.sqlite (2 interrupted fetches re-queued).\non topic   A  http://x/a\nfailed     http://x/c: HTTP 500\n',
    );
  });

  it('redraws one status line on a terminal', () => {
    const io = captureIo({}, '/');
    const progress = new CrawlProgress(io, { verbose: false, tty: true });
    progress.onEvent({ type: 'progress', fetched: 1, queued: 5, onTopic: 0, errors: 0 });
    expect(io.err()).toMatch(/^\r\x1b\[2Kfetched 1  queued 5  on topic 0  errors 0 {2}[\d.]+ pages\/s$/);
    progress.finish();
    expect(io.err().endsWith('\r\x1b[2K')).toBe(true);
  });
});
