// Audiences: desired / in SendGrid / pending / failed, run history, scheduled syncs, and a dry-run
// plan before a sync (nothing is sent to SendGrid or stored by a plan).
import { api, badge, busy, field, fill, h, integrationPicker, integrations, json, notice, table, time } from '/console/lib.js';

export async function render(page) {
  const all = (await integrations()).filter((i) => i.enabled);
  if (!all.length) {
    fill(page, h('p', { class: 'empty' }, 'Audiences are kept in an enabled integration\'s SendGrid account: ',
      h('a', { href: '/integrations' }, 'install or enable one'), '.'));
    return;
  }
  const out = h('div', { class: 'notice', role: 'status', hidden: true });
  const list = h('section', { class: 'card' });
  const detail = h('section', { class: 'card', hidden: true });
  const picker = integrationPicker(all, () => refresh());
  const plan = h('section', { class: 'card', 'aria-labelledby': 'plan-title' });
  fill(page, picker.element, out, list, detail, plan);
  const q = () => `integration=${encodeURIComponent(picker.value())}`;

  async function refresh() {
    const { audiences } = await api('GET', `/v1/audiences?${q()}`);
    fill(list, h('h2', {}, 'Audiences'), table([
      ['Audience', (a) => h('span', {}, a.key, h('span', { class: 'sub' }, `list ${a.list.name}`))],
      ['Desired', (a) => String(a.members.desired)],
      ['In SendGrid', (a) => String(a.members.in_sendgrid)],
      ['Pending', (a) => String(a.members.pending)],
      ['Failed', (a) => String(a.members.failed)],
      ['Last sync', (a) => a.last_sync ? h('span', {}, badge(a.last_sync.outcome), ' ', time(a.last_sync.at)) : '—'],
      ['', (a) => h('button', { type: 'button', class: 'secondary', on: { click: () => show(a.key) } }, 'Runs and syncs')],
    ], audiences, 'No audience yet: Segment Engage events (Sync Audience), PUT /v1/audiences/{key}/members or a scheduled sync make one.'));
  }

  async function show(key) {
    const a = await api('GET', `/v1/audiences/${encodeURIComponent(key)}?${q()}`);
    const planOf = (s) => {
      const b = h('button', { type: 'button', class: 'secondary' }, 'Dry run');
      b.addEventListener('click', () => busy(b, out, async () => showPlan(
        await api('POST', `/v1/audiences/${encodeURIComponent(key)}/syncs/${s.id}/dry-run?${q()}`))));
      const run = h('button', { type: 'button' }, 'Run now');
      run.addEventListener('click', () => busy(run, out, async () => {
        await api('POST', `/v1/audiences/${encodeURIComponent(key)}/syncs/${s.id}/run?${q()}`);
        notice(out, `Sync ${s.id} of ${key} started.`);
      }));
      return h('div', { class: 'actions' }, b, run);
    };
    fill(detail, h('h2', {}, `Audience ${a.key}`),
      h('h3', {}, 'Scheduled syncs'),
      table([
        ['Source', (s) => h('code', {}, s.source.csv || s.source.jdbc_url)],
        ['Schedule', (s) => s.schedule],
        ['Next run', (s) => time(s.next_run_at)],
        ['Last outcome', (s) => s.last_outcome ? badge(s.last_outcome.split(':')[0], s.last_outcome.split(':')[0]) : '—'],
        ['', planOf],
      ], a.syncs, 'No scheduled sync.'),
      h('h3', {}, 'Recent runs'),
      table([
        ['Started', (r) => time(r.started_at)],
        ['Trigger', (r) => r.trigger],
        ['Outcome', (r) => badge(r.outcome)],
        ['Adds', (r) => String(r.adds)], ['Removes', (r) => String(r.removes)], ['Updates', (r) => String(r.updates)],
        ['Skipped', (r) => String(r.skipped)], ['Failed', (r) => String(r.failed)],
      ], a.recent_runs, 'No run yet.'),
      a.failures.length ? h('div', {}, h('h3', {}, 'Members that failed'), table([
        ['Email', (f) => f.email], ['Wanted', (f) => f.wanted], ['Reason', (f) => f.reason]], a.failures)) : null);
    detail.hidden = false;
  }

  const result = h('div', { 'aria-live': 'polite' });
  function showPlan(r) {
    fill(result, h('h3', {}, `Plan for ${r.audience} from ${r.source}`),
      r.error ? h('p', { class: 'error' }, r.error) : null,
      h('div', { class: 'tiles' }, ['adds', 'removes', 'updates', 'unchanged', 'skipped'].map((k) =>
        h('div', { class: 'tile' }, h('span', { class: 'n' }, String(r[k] ?? 0)), h('span', { class: 'l' }, k)))),
      h('details', {}, h('summary', {}, 'The whole plan'), json(r)));
    result.scrollIntoView();
  }

  // a plan before scheduling: the same fields as a scheduled sync
  const key = h('input', { name: 'audience', required: true, placeholder: 'vip' });
  const kind = h('select', { name: 'kind' }, h('option', { value: 'csv' }, 'CSV file'), h('option', { value: 'sql' }, 'SQL query'));
  const csv = h('input', { name: 'csv', placeholder: 'vip.csv (in GRIDSYNC_IMPORT_DIR)' });
  const url = h('input', { name: 'jdbc_url', placeholder: 'jdbc:postgresql://host/db' });
  const query = h('textarea', { name: 'query', rows: 3 }, 'SELECT email, first_name FROM customers WHERE vip');
  const csvField = field('CSV file', csv);
  const sqlFields = h('div', { hidden: true }, field('JDBC URL', url), field('Query', query));
  kind.addEventListener('change', () => { csvField.hidden = kind.value !== 'csv'; sqlFields.hidden = kind.value === 'csv'; });
  const listName = h('input', { name: 'list_name', placeholder: 'defaults to the audience key' });
  const schedule = h('select', { name: 'schedule' }, ['once', 'hourly', 'daily'].map((s) => h('option', { value: s }, s)));
  const reconcile = h('input', { type: 'checkbox', name: 'reconcile' });
  const body = (withSchedule) => {
    const b = { source: kind.value === 'csv' ? { csv: csv.value } : { jdbc_url: url.value, query: query.value }, reconcile: reconcile.checked };
    if (listName.value) b.list_name = listName.value;
    if (withSchedule) b.schedule = schedule.value;
    return b;
  };
  const dry = h('button', { type: 'submit' }, 'Dry run');
  const save = h('button', { type: 'button', class: 'secondary' }, 'Schedule sync');
  const form = h('form', {},
    h('h2', { id: 'plan-title' }, 'Plan a cohort sync'),
    h('p', { class: 'hint' }, 'A dry run reads the source and SendGrid, and shows what a sync would add, remove and update; nothing is changed.'),
    h('div', { class: 'row' }, field('Audience key', key), field('Source', kind), field('List name', listName)),
    csvField, sqlFields,
    h('div', { class: 'row' }, field('Schedule', schedule), field('Reconcile (remove members missing from the source)', reconcile)),
    h('div', { class: 'actions' }, dry, save), result);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(dry, out, async () => {
      try {
        showPlan(await api('POST', `/v1/audiences/${encodeURIComponent(key.value)}/dry-run?${q()}`, body(false)));
      } catch (err) {
        if (err.body && err.body.audience) showPlan(err.body); else throw err;
      }
    });
  });
  save.addEventListener('click', () => busy(save, out, async () => {
    const s = await api('POST', `/v1/audiences/${encodeURIComponent(key.value)}/syncs?${q()}`, body(true));
    notice(out, `Scheduled ${s.schedule} sync ${s.id} of ${key.value}; next run ${s.next_run_at || 'now'}.`);
    await refresh();
  }));
  fill(plan, form);

  await refresh();
}
