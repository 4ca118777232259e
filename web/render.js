// DOM builders. Scraped text is untrusted: it is only ever set through textContent or
// createTextNode, never parsed as HTML; links are set only for http(s) addresses.
import { formatWhen, groupLabel } from './state.js';

export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export function safeHref(url) {
  return /^https?:\/\//i.test(url) ? url : '#';
}

function link(text, href, className) {
  const node = element('a', text, className);
  node.href = href;
  node.rel = 'noopener noreferrer';
  node.target = '_blank';
  return node;
}

export function segmentsToNodes(segments) {
  return segments.map((segment) => (segment.match ? element('mark', segment.text) : document.createTextNode(segment.text)));
}

export function renderHistogram(container, buckets, group, onZoom) {
  container.replaceChildren();
  const max = Math.max(1, ...buckets.map((bucket) => bucket.count));
  for (const bucket of buckets) {
    const bar = element('button', undefined, 'bar');
    bar.type = 'button';
    bar.dataset.key = bucket.key;
    bar.dataset.count = String(bucket.count);
    const fill = element('span');
    fill.style.height = `${Math.round((bucket.count / max) * 100)}%`;
    bar.append(fill);
    bar.title = `${bucket.key}: ${bucket.count}`;
    bar.setAttribute('aria-label', `${bucket.key}: ${bucket.count} – hineinzoomen`);
    bar.addEventListener('click', () => onZoom(bucket));
    container.append(bar);
  }
  const axis = element('div', buckets.length ? `${buckets[0].key} … ${buckets[buckets.length - 1].key} (${labelOf(group)})` : '', 'axis');
  container.append(axis);
}

function labelOf(group) {
  return { day: 'pro Tag', week: 'pro Woche', month: 'pro Monat' }[group] ?? group;
}

// Facet attribute in the API answer → the page's (and the URL's) filter name and the legend.
const FACETS = [
  { attribute: 'site', field: 'site', title: 'Quelle' },
  { attribute: 'place', field: 'place', title: 'Ort' },
  { attribute: 'agency', field: 'agency', title: 'Agentur' },
  { attribute: 'tags', field: 'tag', title: 'Schlagwort' },
];

/** Facet values are page data: they go in as text nodes and attribute values, never as HTML. */
export function renderFacets(container, facets, state, onToggle) {
  container.replaceChildren();
  for (const { attribute, field, title } of FACETS) {
    const selected = state[field] ?? [];
    const values = [...(facets[attribute] ?? [])];
    for (const value of selected) if (!values.some((item) => item.key === value)) values.push({ key: value, count: 0 });
    if (values.length === 0) continue;
    const fieldset = element('fieldset');
    fieldset.dataset.facet = attribute;
    fieldset.append(element('legend', title));
    for (const { key, count } of values) {
      const label = element('label');
      const box = element('input');
      box.type = 'checkbox';
      box.value = key;
      box.checked = selected.includes(key);
      box.addEventListener('change', () => onToggle(field, key));
      label.append(box, document.createTextNode(` ${key} `), element('span', `(${count})`, 'count'));
      fieldset.append(label);
    }
    container.append(fieldset);
  }
}

export function renderHits(list, hits, group, onStory, append = false) {
  if (!append) list.replaceChildren();
  let currentGroup = append ? list.dataset.lastGroup : undefined;
  for (const hit of hits) {
    const label = groupLabel(hit, group);
    if (label !== currentGroup) {
      currentGroup = label;
      list.append(element('li', label, 'group-label'));
    }
    list.append(renderHit(hit, onStory));
  }
  list.dataset.lastGroup = currentGroup ?? '';
}

function renderHit(hit, onStory) {
  const item = element('li', undefined, 'hit');
  item.dataset.id = hit.id;
  const time = element('time', formatWhen(hit.publishedIso));
  if (hit.publishedIso) time.dateTime = hit.publishedIso;
  const headline = element('a', undefined, 'headline');
  headline.href = safeHref(hit.url);
  headline.rel = 'noopener noreferrer';
  headline.target = '_blank';
  if (hit.kicker) headline.append(element('span', `${hit.kicker}: `, 'kicker'));
  headline.append(...segmentsToNodes(hit.headlineSegments));
  const meta = element('div', `${hit.site}${hit.dateline ? ` · ${hit.dateline}` : ''}`, 'site');
  const snippet = element('p', undefined, 'snippet');
  snippet.append(...segmentsToNodes(hit.snippet));
  const actions = element('div', undefined, 'actions');
  actions.append(link('Original', safeHref(hit.url), 'original'));
  if (hit.warcFile) actions.append(link('Archivkopie', `/api/article/${encodeURIComponent(hit.id)}/archived`, 'archived'));
  const story = element('button', hit.alsoPublishedBy.length ? `Story · ${hit.alsoPublishedBy.length + 1} Quellen` : 'Story', 'story-button');
  story.type = 'button';
  story.addEventListener('click', () => onStory(hit.id));
  actions.append(story);
  item.append(time, headline, meta, snippet);
  if (hit.alsoPublishedBy.length) {
    const also = element('div', 'Auch erschienen bei: ', 'also');
    hit.alsoPublishedBy.forEach((copy, i) => {
      if (i > 0) also.append(document.createTextNode(', '));
      also.append(link(copy.site, safeHref(copy.url)), document.createTextNode(` (${formatWhen(copy.publishedIso)})`));
    });
    item.append(also);
  }
  item.append(actions);
  return item;
}

export function renderStory(container, view, onShowCopies) {
  container.replaceChildren();
  const { article, story } = view;
  container.append(element('h2', article.headline));
  container.append(element('p', `${story.length} ${story.length === 1 ? 'Quelle' : 'Quellen'}, zuerst ${formatWhen(story[0]?.publishedIso ?? article.publishedIso)}`, 'story-summary'));
  const list = element('ol', undefined, 'copies');
  for (const copy of story) {
    const item = element('li');
    item.append(element('time', formatWhen(copy.publishedIso)), document.createTextNode(' '), element('strong', copy.site), document.createTextNode(' – '));
    item.append(link(copy.headline, safeHref(copy.url)));
    if (copy.archived) item.append(document.createTextNode(' · '), link('Archivkopie', `/api/article/${encodeURIComponent(copy.id)}/archived`));
    list.append(item);
  }
  container.append(list);
  if (article.lead) container.append(element('p', article.lead, 'lead'));
  container.append(element('p', article.body.length > 1200 ? `${article.body.slice(0, 1200)}…` : article.body, 'body'));
  const all = element('button', 'Alle Kopien in der Zeitleiste', 'show-copies');
  all.type = 'button';
  all.addEventListener('click', () => onShowCopies(article.storyId));
  container.append(all);
}
