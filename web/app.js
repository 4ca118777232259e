// Timeline page: plain ES modules, no build step. The query state lives in the URL, so a view can
// be shared; the page talks only to Chronik's own API (never to Meilisearch, never with a key).
import { renderFacets, renderHistogram, renderHits, renderStory } from './render.js';
import { apiParams, finerGroup, stateFromSearch, stateToParams, toggle } from './state.js';

const PAGE = 25;
const $ = (id) => document.getElementById(id);
let state = stateFromSearch(location.search);
let shown = 0;
let total = 0;

function fillForm() {
  for (const name of ['q', 'from', 'to', 'group', 'sort', 'view']) $(name).value = state[name];
}

function readForm() {
  for (const name of ['q', 'from', 'to', 'group', 'sort', 'view']) state[name] = $(name).value;
}

function updateExports() {
  for (const format of ['csv', 'json', 'md']) {
    const params = apiParams(state, { format });
    $(`export-${format}`).href = `/api/export?${params}`;
  }
}

function describe(result) {
  const noun = result.query.view === 'stories' ? (result.total === 1 ? 'Story' : 'Storys') : 'Artikel';
  const range = state.from || state.to ? ` · ${state.from || '…'} bis ${state.to || '…'}` : '';
  const filters = ['site', 'place', 'agency', 'tag', 'story'].flatMap((name) => state[name]).length;
  return `${result.total} ${noun}${range}${filters ? ` · ${filters} Filter` : ''}`;
}

async function fetchJson(path) {
  const response = await fetch(path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? response.statusText);
  return body;
}

async function search({ append = false } = {}) {
  const status = $('status');
  status.textContent = 'Suche …';
  try {
    const result = await fetchJson(`/api/search?${apiParams(state, { limit: PAGE, offset: append ? shown : 0 })}`);
    total = result.total;
    shown = (append ? shown : 0) + result.hits.length;
    if (!append) {
      renderHistogram($('histogram'), result.buckets, result.query.group, zoom);
      renderFacets($('facets'), result.facets, state, (attribute, value) => {
        state[attribute] = toggle(state[attribute], value);
        commit();
      });
    }
    renderHits($('results'), result.hits, result.query.group, openStory, append);
    status.textContent = `${describe(result)}${result.bucketsTruncated ? ' · Histogramm unvollständig (zu viele Tage: Woche oder Monat wählen)' : ''}`;
    $('more').hidden = shown >= total;
    document.body.dataset.ready = 'true';
    // Counts finished renders, so tests (and scripts) can wait for the answer to *their* search.
    document.body.dataset.renders = String(Number(document.body.dataset.renders ?? 0) + 1);
  } catch (error) {
    status.textContent = `Fehler: ${error.message}`;
  }
}

function zoom(bucket) {
  state.from = bucket.from;
  state.to = bucket.to;
  state.group = finerGroup(state.group);
  fillForm();
  commit();
}

async function openStory(id) {
  const dialog = $('story');
  try {
    const view = await fetchJson(`/api/article/${encodeURIComponent(id)}`);
    renderStory($('story-content'), view, (storyId) => {
      dialog.close();
      state = { ...state, story: [storyId], view: 'copies', from: '', to: '' };
      fillForm();
      commit();
    });
    dialog.showModal();
  } catch (error) {
    $('status').textContent = `Fehler: ${error.message}`;
  }
}

/** New state → address bar (shareable) → results. */
function commit() {
  const params = stateToParams(state);
  history.pushState(null, '', params.size ? `?${params}` : location.pathname);
  updateExports();
  void search();
}

$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  readForm();
  commit();
});
for (const name of ['group', 'sort', 'view']) {
  $(name).addEventListener('change', () => {
    readForm();
    commit();
  });
}
$('reset').addEventListener('click', () => {
  state = stateFromSearch('');
  fillForm();
  commit();
});
$('more').addEventListener('click', () => void search({ append: true }));
$('story-close').addEventListener('click', () => $('story').close());
window.addEventListener('popstate', () => {
  state = stateFromSearch(location.search);
  fillForm();
  updateExports();
  void search();
});

fillForm();
updateExports();
void search();
