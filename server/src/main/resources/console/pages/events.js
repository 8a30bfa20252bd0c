// Live events: messages as they arrive (polled every 2 s), each with every integration's attempts.
import { api, badge, field, fill, h, json, table, time } from '/console/lib.js';

const OUTCOMES = ['', 'delivered', 'retrying', 'pending', 'dead', 'blocked', 'discarded', 'none'];

export async function render(page) {
  const params = new URLSearchParams(location.search);
  const input = (name, label, placeholder) => field(label, h('input', { name, type: 'search', value: params.get(name) || '', placeholder }));
  const outcome = h('select', { name: 'outcome' }, OUTCOMES.map((o) => h('option', { value: o }, o || 'any')));
  outcome.value = params.get('outcome') || '';
  const live = h('input', { type: 'checkbox', name: 'live', checked: true });
  const form = h('form', { class: 'card', role: 'search' },
    h('div', { class: 'row' },
      input('user', 'User', 'userId or anonymousId'), input('email', 'Email', 'part of an email'),
      input('event', 'Event', 'exact name, e.g. Order Completed'), field('Outcome', outcome),
      field('Follow live', live)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Filter')));
  const list = h('div', { 'aria-live': 'polite' });
  const detail = h('section', { class: 'card', hidden: true, 'aria-label': 'Message detail' });
  fill(page, form, detail, h('section', { class: 'card' }, h('h2', {}, 'Recent messages'), list));

  const query = () => {
    const q = new URLSearchParams();
    for (const n of ['user', 'email', 'event', 'outcome']) if (form[n].value) q.set(n, form[n].value);
    return q;
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = query();
    history.replaceState(null, '', q.toString() ? `/events?${q}` : '/events');
    load();
  });

  async function load() {
    const q = query();
    q.set('limit', '50');
    const { events } = await api('GET', `/v1/admin/events?${q}`);
    fill(list, table([
      ['Received', (m) => time(m.received_at)],
      ['Message', (m) => h('span', {}, m.event || m.type, h('span', { class: 'sub' }, `${m.type} · seq ${m.seq}`))],
      ['Person', (m) => h('span', { class: 'person' }, m.email || m.user_id || m.person)],
      ['Outcome', (m) => badge(m.outcome)],
      ['Deliveries', (m) => h('span', {}, m.deliveries.map((d) => h('span', { class: 'sub' },
        `${d.subscription} → ${d.action}: `, h('span', { class: 'status' }, d.last_status ?? d.state))))],
      ['', (m) => h('button', { type: 'button', class: 'secondary', on: { click: () => show(m.seq) } }, 'Details')],
    ], events, 'No messages match. Send one with any Segment library to this hub\'s /v1/track.'));
  }

  async function show(seq) {
    const m = await api('GET', `/v1/admin/events/${seq}`);
    const attempts = m.deliveries.flatMap((d) => d.attempts.map((a) => ({ ...a, subscription: d.subscription, action: d.action, integration: d.integration })));
    fill(detail,
      h('h2', {}, `Message ${m.seq}: ${m.event || m.type}`),
      h('p', {}, 'Outcome ', badge(m.outcome), ' · ', m.email || m.user_id || m.person, ' · received ', time(m.received_at)),
      h('h3', {}, 'Attempts'),
      table([
        ['At', (a) => time(a.at)],
        ['Integration', (a) => h('span', {}, a.integration, h('span', { class: 'sub' }, a.subscription))],
        ['Action', (a) => a.action],
        ['Outcome', (a) => badge(a.outcome)],
        ['SendGrid status', (a) => h('span', { class: 'status' }, a.status ?? '—')],
        ['Error', (a) => a.detail || ''],
        ['Duration', (a) => `${a.duration_ms} ms`],
      ], attempts, 'No attempt yet: the message is waiting, blocked, or no subscription matched it.'),
      h('h3', {}, 'Raw message'), json(m.message),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', on: { click: () => { detail.hidden = true; } } }, 'Close')));
    detail.hidden = false;
    detail.scrollIntoView();
  }

  await load();
  setInterval(() => { if (live.checked && !document.hidden) load().catch(() => {}); }, 2000);
}
