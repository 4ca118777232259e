// The page's query state and its URL form (pure functions, no DOM). The URL uses the same names as
// the HTTP API, so a shared address reproduces the view and its API call.
export const LIST_FIELDS = ['site', 'place', 'agency', 'tag', 'story'];
export const SCALAR_FIELDS = ['q', 'from', 'to', 'group', 'sort', 'view'];
export const DEFAULTS = { q: '', from: '', to: '', group: 'month', sort: 'date-asc', view: 'stories' };

export function stateFromSearch(search) {
  const params = new URLSearchParams(search);
  const state = { ...DEFAULTS };
  for (const name of SCALAR_FIELDS) if (params.get(name)) state[name] = params.get(name);
  for (const name of LIST_FIELDS) state[name] = params.getAll(name).filter(Boolean);
  return state;
}

/** Only what differs from the defaults, so shared links stay short. */
export function stateToParams(state) {
  const params = new URLSearchParams();
  for (const name of SCALAR_FIELDS) if (state[name] && state[name] !== DEFAULTS[name]) params.set(name, state[name]);
  for (const name of LIST_FIELDS) for (const value of state[name] ?? []) params.append(name, value);
  return params;
}

/** The API wants the view explicitly (its default is copies; the page's is stories). */
export function apiParams(state, extra = {}) {
  const params = stateToParams(state);
  params.set('view', state.view);
  for (const [name, value] of Object.entries(extra)) params.set(name, String(value));
  return params;
}

export function toggle(list, value) {
  return list.includes(value) ? list.filter((item) => item !== value) : [...list, value];
}

/** After zooming into a bucket, show the next finer unit. */
export function finerGroup(group) {
  return group === 'month' ? 'day' : 'day';
}

const MONTHS = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];

/** Heading of a result group: "9. Dezember 2021", "KW 49/2021" or "Dezember 2021". */
export function groupLabel(hit, group) {
  if (!hit.day) return 'ohne Datum';
  const [year, month, day] = hit.day.split('-').map(Number);
  if (group === 'day') return `${day}. ${MONTHS[month - 1]} ${year}`;
  if (group === 'week' && hit.week) {
    const [weekYear, week] = hit.week.split('-W');
    return `KW ${Number(week)}/${weekYear}`;
  }
  return `${MONTHS[month - 1]} ${year}`;
}

export function formatWhen(iso) {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '—';
}
