import { describe, expect, it } from 'vitest';
import { HostLimiter } from '../../../src/scrapers/politeness/host-limiter.js';

async function startTimes(limiter: HostLimiter, host: string, count: number): Promise<number[]> {
  const starts: number[] = [];
  await Promise.all(Array.from({ length: count }, () => limiter.run(host, async () => void starts.push(Date.now()))));
  return starts;
}

describe('HostLimiter', () => {
  it('spaces request starts to one host by the minimum delay, other hosts run freely', async () => {
    const limiter = new HostLimiter({ concurrency: 2, minDelayMs: 100 });
    const t0 = Date.now();
    const [a, b] = await Promise.all([startTimes(limiter, 'a', 3), startTimes(limiter, 'b', 1)]);
    expect(a[1]! - a[0]!).toBeGreaterThanOrEqual(95);
    expect(a[2]! - a[1]!).toBeGreaterThanOrEqual(95);
    expect(b[0]! - t0).toBeLessThan(50);
  });

  it('applies a Crawl-delay learnt after the first request to the very next one', async () => {
    const limiter = new HostLimiter({ concurrency: 1, minDelayMs: 0 });
    const [first] = await startTimes(limiter, 'h', 1);
    limiter.setMinDelay('h', 150);
    const [second] = await startTimes(limiter, 'h', 1);
    expect(second! - first!).toBeGreaterThanOrEqual(145);
    limiter.setMinDelay('h', 10); // never below the config, but a lower robots value does not shrink a raised one below config
    expect(limiter.minDelayMs('h')).toBe(10);
  });

  it('holds every request to a paused host until the pause ends', async () => {
    const limiter = new HostLimiter({ concurrency: 4, minDelayMs: 0 });
    const t0 = Date.now();
    limiter.pause('h', 200);
    const starts = await startTimes(limiter, 'h', 3);
    for (const start of starts) expect(start - t0).toBeGreaterThanOrEqual(195);
  });
});
