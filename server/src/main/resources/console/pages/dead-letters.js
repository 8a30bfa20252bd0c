// Dead letters: why each job gave up; replay one, the selected or all (after fixing the cause), or discard.
import { api, busy, fill, h, integrationPicker, integrations, notice, table, time } from '/console/lib.js';

export async function render(page) {
  const all = await integrations();
  const out = h('div', { class: 'notice', role: 'status', hidden: true });
  const list = h('section', { class: 'card' });
  if (!all.length) {
    fill(page, h('p', { class: 'empty' }, 'No integration, so no dead letters.'));
    return;
  }
  const picker = integrationPicker(all, () => refresh());
  fill(page, picker.element, out, list);

  async function act(verb, ids, button) {
    await busy(button, out, async () => {
      const body = { integration: picker.value() };
      if (ids) body.job_ids = ids;
      const r = await api('POST', `/v1/admin/dead-letters/${verb}`, body);
      notice(out, verb === 'replay' ? `Replayed ${r.replayed}: they are delivered again now.` : `Discarded ${r.discarded}.`);
      await refresh();
    });
  }

  async function refresh() {
    const { count, dead_letters: items } = await api('GET', `/v1/admin/dead-letters?integration=${encodeURIComponent(picker.value())}&limit=200`);
    const boxes = new Map();
    const check = (d) => {
      const b = h('input', { type: 'checkbox', 'aria-label': `select job ${d.job_id}` });
      boxes.set(d.job_id, b);
      return b;
    };
    const selected = () => [...boxes].filter(([, b]) => b.checked).map(([id]) => id);
    const replaySel = h('button', { type: 'button', class: 'secondary' }, 'Replay selected');
    replaySel.addEventListener('click', () => act('replay', selected(), replaySel));
    const replayAll = h('button', { type: 'button' }, `Replay all ${count}`);
    replayAll.addEventListener('click', () => act('replay', null, replayAll));
    const discardSel = h('button', { type: 'button', class: 'danger' }, 'Discard selected');
    discardSel.addEventListener('click', () => act('discard', selected(), discardSel));
    fill(list, h('h2', {}, `${count} dead letter${count === 1 ? '' : 's'}`),
      count ? h('div', { class: 'actions' }, replayAll, replaySel, discardSel) : null,
      table([
        ['', check],
        ['Reason', (d) => h('span', {}, d.reason, h('span', { class: 'sub' }, `after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`))],
        ['Status', (d) => h('span', { class: 'status' }, d.last_status ?? '—')],
        ['Subscription', (d) => h('span', {}, d.subscription, h('span', { class: 'sub' }, d.action))],
        ['Message', (d) => h('span', { title: d.message_id }, `seq ${d.message_seq}`)],
        ['Since', (d) => time(d.created_at)],
        ['', (d) => {
          const b = h('button', { type: 'button', class: 'secondary' }, 'Replay');
          b.addEventListener('click', () => act('replay', [d.job_id], b));
          return b;
        }],
      ], items, 'No dead letters: every job was delivered or is still being retried.'));
  }

  await refresh();
}
