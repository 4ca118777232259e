import { describe, expect, it } from 'vitest';
import { classifyBody } from '../../../src/scrapers/fetch/content-gate.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('classifyBody', () => {
  it('parses HTML, feeds and sitemaps by their content type', () => {
    expect(classifyBody('text/html; charset=utf-8', bytes('<!doctype html><p>x</p>'))).toBe('html');
    expect(classifyBody('application/rss+xml', bytes('<?xml version="1.0"?><rss/>'))).toBe('xml-listing');
    expect(classifyBody('application/xml', bytes('<urlset></urlset>'))).toBe('xml-listing');
    expect(classifyBody('application/pdf', bytes('%PDF-1.4'))).toBe('other');
    expect(classifyBody('application/json', bytes('{}'))).toBe('other');
  });

  it('does not parse binary bytes served as text/html', () => {
    expect(classifyBody('text/html', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]))).toBe('other');
    expect(classifyBody('text/html', new Uint8Array([0x3c, 0x68, 0, 0x74]))).toBe('other');
  });

  it('sniffs the bytes when the content type is missing', () => {
    expect(classifyBody(undefined, bytes('  <!DOCTYPE html><html>'))).toBe('html');
    expect(classifyBody(undefined, bytes('<?xml version="1.0"?><feed/>'))).toBe('xml-listing');
    expect(classifyBody(undefined, bytes('plain words'))).toBe('other');
  });
});
