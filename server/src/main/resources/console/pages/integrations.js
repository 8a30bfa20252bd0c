// Integrations: install SendGrid (with the credentials test's answer), enable, disable, rotate the key.
import { api, badge, busy, field, fill, h, integrations, json, notice, table, time } from '/console/lib.js';

export async function render(page) {
  const out = h('div', { class: 'notice', role: 'status', hidden: true });
  const list = h('div');
  const install = installForm(out, refresh);
  fill(page, out, h('section', { class: 'card' }, h('h2', {}, 'Installed'), list), install);

  async function refresh() {
    const items = await integrations();
    fill(list, table([
      ['Name', (i) => h('span', {}, i.name, h('span', { class: 'sub' }, i.id))],
      ['State', (i) => badge(i.enabled ? 'enabled' : 'disabled')],
      ['Endpoint', (i) => i.config.endpoint],
      ['Default list', (i) => i.config.default_list_id || '—'],
      ['Consent category', (i) => i.config.consent_category],
      ['API key', (i) => h('code', {}, i.config.api_key)],
      ['Subscriptions', (i) => h('a', { href: `/subscriptions?integration=${encodeURIComponent(i.id)}` }, String(i.subscriptions.length))],
      ['Installed', (i) => time(i.created_at)],
      ['', (i) => actions(i)],
    ], items, 'No integration yet: install SendGrid below.'));
  }

  function actions(i) {
    const test = h('button', { type: 'button', class: 'secondary' }, 'Test credentials');
    test.addEventListener('click', () => busy(test, out, async () => showTest(out, await api('POST', `/v1/admin/integrations/${i.id}/test`))));
    const toggle = h('button', { type: 'button', class: i.enabled ? 'danger' : 'secondary' }, i.enabled ? 'Disable' : 'Enable');
    toggle.addEventListener('click', () => busy(toggle, out, async () => {
      await api('PATCH', `/v1/admin/integrations/${i.id}`, { enabled: !i.enabled });
      notice(out, `${i.name} ${i.enabled ? 'disabled' : 'enabled'}.`);
      await refresh();
    }));
    const key = h('input', { type: 'password', name: 'api_key', autocomplete: 'off', placeholder: 'SG.…' });
    const rotate = h('form', { class: 'row' }, field(`New API key for ${i.name}`, key), h('button', { type: 'submit', class: 'secondary' }, 'Rotate key'));
    rotate.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(rotate.querySelector('button'), out, async () => {
        await api('PATCH', `/v1/admin/integrations/${i.id}`, { api_key: key.value });
        key.value = '';
        notice(out, `${i.name}: the new key is stored (encrypted); the old one is no longer used.`);
        await refresh();
      });
    });
    return h('div', {}, h('div', { class: 'actions' }, test, toggle), h('details', {}, h('summary', {}, 'Rotate key'), rotate));
  }

  await refresh();
}

function installForm(out, refresh) {
  const name = h('input', { name: 'name', value: 'SendGrid', required: true });
  const key = h('input', { name: 'api_key', type: 'password', autocomplete: 'off', required: true, placeholder: 'SG.…' });
  const region = h('select', { name: 'region' }, h('option', { value: 'global' }, 'global'), h('option', { value: 'eu' }, 'eu'),
    h('option', { value: 'url' }, 'another URL (an emulator, a proxy)'));
  const url = h('input', { name: 'endpoint', type: 'url', placeholder: 'http://127.0.0.1:3030' });
  const urlField = field('Endpoint URL', url, 'Must be allowed by GRIDSYNC_ALLOWED_ENDPOINTS.');
  urlField.hidden = true;
  region.addEventListener('change', () => { urlField.hidden = region.value !== 'url'; });
  const list = h('input', { name: 'default_list_id', placeholder: 'optional' });
  const consent = h('input', { name: 'consent_category', value: 'marketing' });
  const createFields = h('input', { type: 'checkbox', name: 'create_missing_fields', checked: true });
  const result = h('div');
  const form = h('form', { class: 'card', 'aria-labelledby': 'install-title' },
    h('h2', { id: 'install-title' }, 'Install SendGrid'),
    h('div', { class: 'row' }, field('Name', name), field('SendGrid API key', key, 'Stored encrypted; shown masked from now on.')),
    h('div', { class: 'row' }, field('Region', region), urlField),
    h('div', { class: 'row' }, field('Default list id', list), field('Consent category', consent,
      'Messages whose context.consent.categoryPreferences says false for it are blocked.'),
      field('Create missing custom fields', createFields, 'e.g. lifetime_value, when the first order arrives.')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Install and test')), result);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form.querySelector('button[type=submit]'), out, async () => {
      const config = { api_key: key.value, endpoint: region.value === 'url' ? url.value : region.value, consent_category: consent.value,
        create_missing_fields: createFields.checked };
      if (list.value) config.default_list_id = list.value;
      const created = await api('POST', '/v1/admin/integration-catalog/sendgrid/install', { name: name.value, config });
      key.value = '';
      notice(out, `Installed ${created.name} (${created.id}).`);
      showTest(result, await api('POST', `/v1/admin/integrations/${created.id}/test`));
      await refresh();
    });
  });
  return form;
}

function showTest(el, answer) {
  const ok = answer.ok === true;
  fill(el, h('div', { class: `notice ${ok ? 'ok' : 'error'}`, role: 'status' },
    h('strong', {}, ok ? 'Credentials test passed: ' : 'Credentials test failed: '),
    ok ? `the key has the ${answer.scopes.length} scopes the subscriptions need.` : answer.error), h('details', {}, h('summary', {}, 'Full answer'), json(answer)));
  el.hidden = false;
  el.className = '';
}
