import { describe, expect, it } from 'vitest';
import { canonicalKey, resolveHttpUrl } from '../../../src/scrapers/discover/canonical-url.js';

describe('canonical URL keys', () => {
  it('lower-cases scheme and host, drops fragments, tracking parameters and default ports, sorts the query', () => {
    expect(canonicalKey('HTTPS://WWW.Example.ORG:443/Pfad/Artikel.html?b=2&utm_source=x&a=1#kommentare')).toBe(
      'https://www.example.org/Pfad/Artikel.html?a=1&b=2',
    );
  });

  it('gives the same key for tracking-parameter variants of one article', () => {
    const plain = canonicalKey('http://127.0.0.1:8080/a.html');
    expect(canonicalKey('http://127.0.0.1:8080/a.html?utm_medium=social&fbclid=123')).toBe(plain);
    expect(canonicalKey('http://127.0.0.1:8080/a.html#top')).toBe(plain);
    expect(canonicalKey('http://127.0.0.1:8080/a.html?id=2')).not.toBe(plain);
  });

  it('resolves relative links and refuses non-web schemes', () => {
    expect(resolveHttpUrl('../b.html#x', 'https://example.org/n/a/c.html')).toBe('https://example.org/n/b.html');
    expect(resolveHttpUrl('javascript:void(0)', 'https://example.org/')).toBeUndefined();
    expect(resolveHttpUrl('mailto:a@example.org', 'https://example.org/')).toBeUndefined();
  });
});
