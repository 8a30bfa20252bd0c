// Sources: one per SendGrid account (GET /v1/admin/sources): its Event Webhook (signed or not,
// events in the last hour per type, quarantine, forwarding) and its mirror (runs with rows per
// collection and outcome; sync now). Capture-only sources have no mirror.
import { api, badge, busy, fill, h, notice, table, time } from '/console/lib.js';

export async function render(page) {
  const out = h('div', { class: 'notice', role: 'status', hidden: true });
  const webhooks = h('section', { class: 'card' });
  const mirror = h('section', { class: 'card' });
  const runs = h('section', { class: 'card', hidden: true });
  fill(page, out, webhooks, mirror, runs);

  const [{ sources: all }, { tables }] = await Promise.all([api('GET', '/v1/admin/sources'), api('GET', '/v1/admin/warehouse/tables')]);
  const hooks = all.filter((s) => s.webhook);
  const bySchema = (schema) => tables.filter((t) => t.schema === schema);
  fill(webhooks, h('h2', {}, 'Event Webhook'), table([
    ['Source', (s) => h('span', {}, s.name, h('span', { class: 'sub' }, h('code', {}, s.webhook.path)))],
    ['Signed', (s) => badge(s.webhook.signed ? 'signed' : 'not signed', s.webhook.signed ? 'ok' : 'retrying')],
    ['Events, last hour', (s) => {
      const counted = bySchema(s.schema).filter((t) => !t.table.startsWith('_') && t.table !== 'activity' && t.rows_last_hour > 0);
      return counted.length ? h('span', {}, counted.map((t) => h('span', { class: 'sub' }, `${t.table}: ${t.rows_last_hour}`))) : '0';
    }],
    ['Quarantine', (s) => {
      const q = bySchema(s.schema).find((t) => t.table === '_quarantine');
      return q ? badge(`${q.rows} held`, q.rows ? 'retrying' : 'ok') : '0';
    }],
    ['Forwarding', (s) => s.forwarding ? h('span', {}, s.forwarding.url, h('span', { class: 'sub' },
      `${s.forwarding.delivered} delivered, ${s.forwarding.pending} pending, ${s.forwarding.dead} dead`)) : 'off'],
  ], hooks, 'No webhook source.'));

  async function refreshMirror() {
    const sources = (await api('GET', '/v1/admin/sources')).sources.filter((s) => s.mirrored !== false);
    fill(mirror, h('h2', {}, 'SendGrid mirror'), table([
      ['Source', (s) => h('span', {}, s.name, h('span', { class: 'sub' }, `schema ${s.schema} · every ${s.interval}`))],
      ['State', (s) => badge(s.enabled ? 'enabled' : 'disabled')],
      ['Last run', (s) => s.last_run ? h('span', {}, badge(s.last_run.status), ' ', time(s.last_run.started_at)) : 'never'],
      ['Rows', (s) => s.last_run ? h('span', {}, Object.entries(s.last_run.rows).map(([k, n]) => h('span', { class: 'sub' }, `${k}: ${n}`))) : '—'],
      ['Next run', (s) => time(s.next_run_at)],
      ['', (s) => {
        const sync = h('button', { type: 'button' }, 'Sync now');
        sync.addEventListener('click', () => busy(sync, out, async () => {
          const r = await api('POST', `/v1/admin/sources/${encodeURIComponent(s.name)}/sync`);
          notice(out, `${s.name}: run ${r.run_id} started.`); // a run in progress answers 409, shown as the error
          await refreshMirror();
        }));
        const history = h('button', { type: 'button', class: 'secondary', on: { click: () => showRuns(s.name) } }, 'Runs');
        return h('div', { class: 'actions' }, sync, history);
      }],
    ], sources, 'No SendGrid source: installing an integration adds one.'));
  }

  async function showRuns(name) {
    const { runs: items } = await api('GET', `/v1/admin/sources/${encodeURIComponent(name)}/runs?limit=20`);
    fill(runs, h('h2', {}, `Runs of ${name}`), table([
      ['Started', (r) => time(r.started_at)],
      ['Trigger', (r) => r.trigger],
      ['Outcome', (r) => badge(r.status)],
      ['Rows per collection', (r) => h('span', {}, Object.entries(r.rows).map(([k, n]) => h('span', { class: 'sub' }, `${k}: ${n}`)))],
      ['Seconds', (r) => r.seconds ?? '—'],
      ['Error', (r) => r.error || ''],
    ], items, 'No run yet.'));
    runs.hidden = false;
  }

  await refreshMirror();
}
