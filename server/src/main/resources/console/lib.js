// What every page uses: the admin API with the session cookie (and the CSRF header on writes),
// and building DOM nodes without innerHTML, so nothing the API returns is ever read as markup.

let csrf = null;

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** The session: who is signed in, and the CSRF token writes carry. */
export async function session() {
  const res = await fetch('/v1/admin/session', { credentials: 'same-origin' });
  if (res.status === 401) {
    signIn();
    throw new ApiError(401, 'signed out');
  }
  const body = await res.json();
  csrf = body.csrf_token;
  return body;
}

function signIn() {
  location.assign('/?next=' + encodeURIComponent(location.pathname + location.search));
}

/** Calls the admin API; answers the JSON body, throws ApiError with the API's own message. */
export async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    if (!csrf) await session();
    headers['X-CSRF-Token'] = csrf;
  }
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) {
    signIn();
    throw new ApiError(401, 'signed out');
  }
  const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data.error || `${method} ${path} answered ${res.status}`, data);
  return data;
}

/** h('p', {class: 'x'}, 'text', child): an element; `on` holds event listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'on') {
      for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    } else if (k === 'class') {
      el.className = v;
    } else if (k in el && typeof v !== 'string') {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : v);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table: columns are [header, row => cell]; an empty list shows `empty`. */
export function table(columns, rows, empty = 'Nothing yet.', caption = null) {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'table-wrap' }, h('table', {},
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, columns.map(([title]) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, columns.map(([title, cell]) => h('td', { 'data-label': title }, cell(r))))))));
}

/** A labelled form control: label text, then the control (its id ties them together). */
export function field(label, control, hint = null) {
  const id = control.id || `f-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Math.random().toString(36).slice(2, 7)}`;
  control.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert', hidden: true });
  control.setAttribute('aria-describedby', `${id}-error`);
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'hint' }, hint) : null, error);
  wrap.showError = (msg) => {
    error.textContent = msg || '';
    error.hidden = !msg;
    control.toggleAttribute('aria-invalid', !!msg);
  };
  return wrap;
}

export function json(value) {
  return h('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}

export function badge(text, kind = text) {
  return h('span', { class: `badge badge-${String(kind).replace(/[^a-z0-9_-]/gi, '')}` }, text);
}

/** An ISO-8601 time as local date and time, with the exact time in the title. */
export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return h('time', { datetime: iso, title: iso }, d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }));
}

/** A status line under an action: ok or error, announced to screen readers. */
export function notice(el, message, ok = true) {
  fill(el, message);
  el.className = ok ? 'notice ok' : 'notice error';
  el.hidden = !message;
}

/** Runs an action from a button, showing failures (and disabling the button while it runs). */
export async function busy(button, out, fn) {
  button.disabled = true;
  try {
    await fn();
  } catch (e) {
    if (out) notice(out, e.message, false);
    else throw e;
  } finally {
    button.disabled = false;
  }
}

/** The integrations, for pages that work on one of them. */
export async function integrations() {
  return (await api('GET', '/v1/admin/integrations')).integrations;
}

/** A select of integrations, remembered in the URL (?integration=ID); calls onChange with the id. */
export function integrationPicker(list, onChange) {
  const params = new URLSearchParams(location.search);
  const select = h('select', { name: 'integration' },
    list.map((i) => h('option', { value: i.id }, `${i.name} (${i.id})${i.enabled ? '' : ' — disabled'}`)));
  if (params.get('integration')) select.value = params.get('integration');
  select.addEventListener('change', () => {
    params.set('integration', select.value);
    history.replaceState(null, '', `${location.pathname}?${params}`);
    onChange(select.value);
  });
  return { element: field('Integration', select), value: () => select.value };
}
