// Subscriptions: what each integration delivers; edit trigger and mapping with a preview of the
// payload SendGrid would get for a pasted or recent message, before saving.
import { api, badge, busy, field, fill, h, integrationPicker, integrations, json, notice, table } from '/console/lib.js';

const ACTIONS = ['upsert_contact', 'sync_audience', 'update_contact_fields', 'send_email', 'delete_contact'];

export async function render(page) {
  const all = await integrations();
  if (!all.length) {
    fill(page, h('p', { class: 'empty' }, 'No integration yet: ', h('a', { href: '/integrations' }, 'install SendGrid'), ' first.'));
    return;
  }
  const out = h('div', { class: 'notice', role: 'status', hidden: true });
  const list = h('section', { class: 'card' });
  const editor = h('section', { class: 'card', hidden: true, 'aria-labelledby': 'editor-title' });
  const picker = integrationPicker(all, () => refresh());
  fill(page, picker.element, out, list, editor);

  async function refresh() {
    const id = picker.value();
    const { subscriptions } = await api('GET', `/v1/admin/integrations/${id}/subscriptions`);
    fill(list, h('h2', {}, 'Subscriptions'),
      table([
        ['Name', (s) => s.name],
        ['Trigger', (s) => h('code', {}, s.trigger)],
        ['Action', (s) => s.action],
        ['State', (s) => badge(s.enabled ? 'enabled' : 'disabled')],
        ['', (s) => h('button', { type: 'button', class: 'secondary', 'data-edit': s.name, on: { click: () => edit(id, s, false) } }, 'Edit')],
      ], subscriptions, 'No subscription: add one below.'),
      h('div', { class: 'actions' }, h('button', { type: 'button', on: { click: () => edit(id, {
        name: '', trigger: 'type = "track"', action: 'upsert_contact', mapping: null, enabled: true }, true) } }, 'New subscription')));
  }

  async function edit(id, s, isNew) {
    const name = h('input', { name: 'name', value: s.name, required: true, readOnly: !isNew });
    const trigger = h('input', { name: 'trigger', value: s.trigger, class: 'mono' });
    const action = h('select', { name: 'action' }, ACTIONS.map((a) => h('option', { value: a }, a)));
    action.value = s.action;
    const mapping = h('textarea', { name: 'mapping', rows: 8 }, s.mapping ? JSON.stringify(s.mapping, null, 2) : '');
    const enabled = h('input', { type: 'checkbox', name: 'enabled', checked: s.enabled });
    const fields = {
      name: field('Name', name), trigger: field('Trigger', trigger, 'e.g. type = "identify", or event = "Order Completed"'),
      action: field('Action', action),
      mapping: field('Mapping (JSON)', mapping, 'field → mapping, overriding the action\'s defaults; empty keeps them all.'),
      enabled: field('Enabled', enabled),
    };
    const { events: recent } = await api('GET', '/v1/admin/events?limit=20');
    const message = h('textarea', { name: 'message', rows: 10 }, JSON.stringify(await messageOf(recent[0]), null, 2));
    const messageField = field('Message to preview', message, 'Pasted, or one of the recent messages below.');
    const pick = h('select', { name: 'recent' }, recent.map((m) => h('option', { value: m.seq },
      `seq ${m.seq}: ${m.event || m.type} — ${m.email || m.user_id || m.person}`)));
    pick.addEventListener('change', async () => {
      message.value = JSON.stringify(await messageOf(recent.find((m) => String(m.seq) === pick.value)), null, 2);
    });
    const pickField = recent.length ? field('Recent message', pick) : null;
    const result = h('div', { 'aria-live': 'polite' });
    const status = h('div', { class: 'notice', role: 'status', hidden: true });

    const body = () => {
      Object.values(fields).forEach((f) => f.showError(null));
      let m = null;
      if (mapping.value.trim()) {
        try {
          m = JSON.parse(mapping.value);
        } catch (e) {
          fields.mapping.showError(`not valid JSON: ${e.message}`);
          throw new Error('the mapping is not valid JSON');
        }
      }
      return { name: name.value, trigger: trigger.value, action: action.value, mapping: m, enabled: enabled.checked };
    };
    const placeErrors = (e) => {
      const byField = e.body && e.body.fields ? e.body.fields : guessField(e.message);
      for (const [k, msg] of Object.entries(byField)) if (fields[k]) fields[k].showError(msg);
      notice(status, e.message, false);
    };
    const preview = h('button', { type: 'button', class: 'secondary' }, 'Preview');
    preview.addEventListener('click', () => busy(preview, status, async () => {
      messageField.showError(null);
      let msg;
      try {
        msg = JSON.parse(message.value);
      } catch (e) {
        messageField.showError(`not valid JSON: ${e.message}`);
        return;
      }
      try {
        const p = await api('POST', `/v1/admin/integrations/${id}/subscriptions/preview`, { subscription: body(), message: msg });
        status.hidden = true;
        fill(result, h('h3', {}, 'Preview'),
          h('p', {}, 'Trigger ', badge(p.matches ? 'matches' : 'does not match', p.matches ? 'ok' : 'none'),
            p.blocked_by_consent ? h('span', {}, ' · ', badge('blocked by consent', 'blocked')) : null),
          p.missing_required.length ? h('p', { class: 'error' }, `Required fields with no value: ${p.missing_required.join(', ')} — `
            + 'this message would be dead-lettered.') : null,
          h('p', {}, `Payload of ${p.action} (what the action sends SendGrid for this message):`), json(p.payload));
      } catch (e) {
        placeErrors(e);
      }
    }));
    const save = h('button', { type: 'submit' }, isNew ? 'Add subscription' : 'Save');
    const form = h('form', {},
      h('h2', { id: 'editor-title' }, isNew ? 'New subscription' : `Edit ${s.name}`),
      h('div', { class: 'split' },
        h('div', {}, fields.name, fields.trigger, fields.action, fields.mapping, fields.enabled),
        h('div', {}, pickField, messageField, h('div', { class: 'actions' }, preview), result)),
      status,
      h('div', { class: 'actions' }, save, h('button', { type: 'button', class: 'secondary', on: { click: () => { editor.hidden = true; } } }, 'Cancel')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(save, status, async () => {
        try {
          const b = body();
          if (isNew) await api('POST', `/v1/admin/integrations/${id}/subscriptions`, b);
          else await api('PUT', `/v1/admin/integrations/${id}/subscriptions/${encodeURIComponent(s.name)}`, b);
        } catch (err) {
          placeErrors(err);
          return;
        }
        editor.hidden = true;
        notice(out, `Saved ${name.value}; new messages are routed with it.`);
        await refresh();
      });
    });
    fill(editor, form);
    editor.hidden = false;
    editor.scrollIntoView();
    trigger.focus();
  }

  await refresh();
}

/** A recent message's raw body, or an example when the hub has received none. */
async function messageOf(event) {
  if (event) return (await api('GET', `/v1/admin/events/${event.seq}`)).message;
  return { type: 'identify', userId: 'user-1', traits: { email: 'ada@example.com', first_name: 'Ada' } };
}

/** Which field a save error is about, from the API's message. */
function guessField(message) {
  for (const k of ['trigger', 'mapping', 'action', 'name']) {
    if (message.includes(`${k} `) || message.includes(`${k}:`) || message.includes(`'${k}'`)) return { [k]: message };
  }
  if (message.includes('no field')) return { mapping: message };
  return {};
}
