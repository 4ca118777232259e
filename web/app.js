// Timeline page. Scraped text is untrusted: it is only ever set through textContent,
// never parsed as HTML. The query lives in the URL so a view can be shared.
const form = document.getElementById('search-form');
const fields = ['q', 'from', 'to', 'group'];

function readUrlState() {
  const params = new URLSearchParams(location.search);
  for (const name of fields) {
    const value = params.get(name);
    if (value !== null) document.getElementById(name).value = value;
  }
  return params;
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function segmentsToNodes(segments) {
  return segments.map((segment) => (segment.match ? element('mark', segment.text) : document.createTextNode(segment.text)));
}

function renderHistogram(buckets, group) {
  const container = document.getElementById('histogram');
  container.replaceChildren();
  const max = Math.max(1, ...buckets.map((bucket) => bucket.count));
  for (const bucket of buckets) {
    const bar = element('button');
    bar.type = 'button';
    bar.style.height = `${Math.round((bucket.count / max) * 100)}%`;
    bar.title = `${bucket.key}: ${bucket.count}`;
    bar.addEventListener('click', () => zoomTo(bucket.key, group));
    container.append(bar);
  }
}

function zoomTo(key, group) {
  if (group !== 'month' || !/^\d{4}-\d{2}$/.test(key)) return;
  const [year, month] = key.split('-').map(Number);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  document.getElementById('from').value = `${key}-01`;
  document.getElementById('to').value = `${key}-${String(last).padStart(2, '0')}`;
  document.getElementById('group').value = 'day';
  submit();
}

function renderResults(result) {
  const list = document.getElementById('results');
  list.replaceChildren();
  let currentGroup;
  for (const hit of result.hits) {
    const group = (hit.day ?? 'ohne Datum').slice(0, result.query.group === 'month' ? 7 : 10);
    if (group !== currentGroup) {
      currentGroup = group;
      list.append(element('li', group, 'group-label'));
    }
    const item = element('li', undefined, 'hit');
    const time = element('time', hit.publishedIso ? hit.publishedIso.slice(0, 16).replace('T', ' ') : '—');
    if (hit.publishedIso) time.dateTime = hit.publishedIso;
    const link = element('a');
    link.href = /^https?:\/\//.test(hit.url) ? hit.url : '#';
    link.rel = 'noopener noreferrer';
    if (hit.kicker) link.append(document.createTextNode(`${hit.kicker}: `));
    link.append(...segmentsToNodes(hit.headlineSegments));
    const snippet = element('p');
    snippet.append(...segmentsToNodes(hit.snippet));
    item.append(time, link, element('div', `${hit.site}${hit.dateline ? ` · ${hit.dateline}` : ''}`, 'site'), snippet);
    list.append(item);
  }
  document.getElementById('status').textContent = `${result.total} Artikel`;
}

async function search(params) {
  const query = new URLSearchParams();
  for (const name of fields) if (params.get(name)) query.set(name, params.get(name));
  query.set('limit', '200');
  const response = await fetch(`/api/search?${query}`);
  const body = await response.json();
  if (!response.ok) {
    document.getElementById('status').textContent = `Fehler: ${body.error}`;
    return;
  }
  renderHistogram(body.buckets, body.query.group);
  renderResults(body);
}

function submit() {
  const params = new URLSearchParams();
  for (const name of fields) {
    const value = document.getElementById(name).value;
    if (value) params.set(name, value);
  }
  history.pushState(null, '', `?${params}`);
  void search(params);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  submit();
});
window.addEventListener('popstate', () => void search(readUrlState()));
void search(readUrlState());
