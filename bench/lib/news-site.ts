import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../fixtures/server/serve-world.js';

/**
 * A generated news site like bench:crawl's (`pageCount` article pages of about `pageBytes`
 * from a real fixture article, eight links each, all reachable from /p/0.html), plus what an
 * update re-checks on a real portal: its own canonical URL per page (so 2,000 documents), a sitemap with lastmod per page, ETag and Last-Modified
 * on every answer, 304 to a matching conditional GET. Counts every request and every 200 body.
 */
export interface NewsSite {
  origin: string;
  seed: string;
  sitemap: string;
  requests: { total: number; bodies: number; notModified: number };
  close(): Promise<void>;
}

export const TEMPLATE_PATH = 'fixtures/world/kuestenkurier/nachrichten/regional/mecklenburg-vorpommern/fuehrerschein-beantragung-wieder-moeglich-a425873.html';
/** Fixed, so a restarted site answers 304 to what the last one served. */
const LAST_MODIFIED = new Date(Date.UTC(2024, 5, 1, 8)).toUTCString();

/** One generated article page: its own headline, canonical URL, eight links, padded to about pageBytes. */
export function renderPage(template: string, index: number, pageCount: number, pageBytes: number): string {
  const links = Array.from({ length: 8 }, (_, k) => (index * 8 + k + 1) % pageCount);
  const list = links
    .map((target) => `<li><a href="/p/${target}.html?utm_source=bench"><span class="category">Regional</span><span class="title">Schwerin: Cyberangriff Folge ${target}</span></a></li>`)
    .join('\n');
  let html = template
    .replace(/(<h2>Weitere News<\/h2>\s*<ul[^>]*>)[\s\S]*?(<\/ul>)/, `$1\n${list}\n$2`)
    .replace(/(<h2>Empfehlungen der Redaktion<\/h2>\s*<ul[^>]*>)[\s\S]*?(<\/ul>)/, '$1$2')
    .replace('Führerschein-Beantragung wieder möglich', `Führerschein-Beantragung wieder möglich (${index})`)
    // Each page its own canonical URL, so each is its own document (as on a real site).
    .replace(/<link rel="canonical" href="[^"]*">/, `<link rel="canonical" href="/p/${index}.html">`);
  const paragraph = `<p>Meldung ${index}: Nach dem Cyberangriff auf den Kommunalservice Mecklenburg (KSM) arbeiten die Verwaltungen in Schwerin und im Landkreis Ludwigslust-Parchim weiter im Notbetrieb. Die Schadsoftware hatte zahlreiche Server verschlüsselt.</p>\n`;
  const missing = Math.max(0, pageBytes - Buffer.byteLength(html));
  html = html.replace('</article>', `${paragraph.repeat(Math.ceil(missing / Buffer.byteLength(paragraph)))}</article>`);
  return html;
}

function sitemapXml(origin: string, pageCount: number): string {
  const urls = Array.from({ length: pageCount }, (_, index) => {
    const day = new Date(Date.UTC(2021, 9, 15) + index * 3_600_000).toISOString();
    return `<url><loc>${origin}/p/${index}.html</loc><lastmod>${day}</lastmod></url>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

interface Resource {
  body: Buffer;
  etag: string;
  contentType: string;
}

function resource(body: string, contentType: string): Resource {
  const bytes = Buffer.from(body);
  return { body: bytes, etag: `"${createHash('sha1').update(bytes).digest('hex').slice(0, 16)}"`, contentType };
}

export async function startNewsSite(pageCount = 2000, pageBytes = 50_000): Promise<NewsSite> {
  const template = readFileSync(path.join(projectRoot(), TEMPLATE_PATH), 'utf8');
  const pages = Array.from({ length: pageCount }, (_, index) => resource(renderPage(template, index, pageCount, pageBytes), 'text/html; charset=utf-8'));
  let sitemap: Resource | undefined;
  const requests = { total: 0, bodies: 0, notModified: 0 };
  const server: Server = createServer((request, response) => {
    requests.total += 1;
    const url = request.url ?? '';
    const match = /^\/p\/(\d+)\.html/.exec(url);
    const found = match ? pages[Number(match[1])] : url === '/sitemap.xml' ? sitemap : undefined;
    if (!found) return response.writeHead(404).end();
    const headers = { etag: found.etag, 'last-modified': LAST_MODIFIED };
    if (request.headers['if-none-match'] === found.etag) {
      requests.notModified += 1;
      return response.writeHead(304, headers).end();
    }
    requests.bodies += 1;
    response.writeHead(200, { ...headers, 'content-type': found.contentType, 'content-length': found.body.byteLength }).end(found.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sitemap = resource(sitemapXml(origin, pageCount), 'application/xml; charset=utf-8');
  return {
    origin,
    seed: `${origin}/p/0.html`,
    sitemap: `${origin}/sitemap.xml`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
