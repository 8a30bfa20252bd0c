// Write keys: what tracking libraries send; a new key is shown once, revoked keys stay listed.
// Allowed origins: which web pages' browsers may send a key (analytics.js; docs/collect.md).
import { api, badge, busy, field, fill, h, notice, table, time } from '/console/lib.js';

export async function render(page) {
  const out = h('div', { class: 'notice', role: 'status', hidden: true });
  const shown = h('div', { 'aria-live': 'polite' });
  const list = h('section', { class: 'card' });
  const name = h('input', { name: 'name', required: true, placeholder: 'website' });
  const origins = h('input', { name: 'allowed_origins', placeholder: '* (any), or https://shop.example.com, https://*.example.com' });
  const create = h('button', { type: 'submit' }, 'Create write key');
  const form = h('form', { class: 'card' }, h('h2', {}, 'New write key'),
    h('div', { class: 'row' }, field('Name', name), field('Allowed origins (comma-separated; empty: any)', origins)),
    h('div', { class: 'actions' }, create), shown);
  fill(page, out, form, list);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(create, out, async () => {
      const body = { name: name.value };
      if (origins.value.trim()) body.allowed_origins = parseOrigins(origins.value);
      const k = await api('POST', '/v1/admin/write-keys', body);
      fill(shown, h('div', { class: 'shown-once' }, h('strong', {}, 'Copy it now — it is shown this once: '), h('code', { class: 'new-key' }, k.write_key)));
      name.value = '';
      origins.value = '';
      await refresh();
    });
  });

  async function refresh() {
    const { write_keys: keys } = await api('GET', '/v1/admin/write-keys');
    fill(list, h('h2', {}, 'Write keys'), table([
      ['Name', (k) => h('span', {}, k.name, h('span', { class: 'sub' }, k.id))],
      ['Key', (k) => h('code', {}, k.write_key)],
      ['Allowed origins', (k) => originsCell(k)],
      ['Created', (k) => time(k.created_at)],
      ['State', (k) => k.revoked_at ? h('span', {}, badge('revoked'), ' ', time(k.revoked_at)) : badge('active', 'ok')],
      ['', (k) => {
        if (k.revoked_at) return '';
        const b = h('button', { type: 'button', class: 'danger' }, 'Revoke');
        b.addEventListener('click', () => busy(b, out, async () => {
          await api('DELETE', `/v1/admin/write-keys/${k.id}`);
          notice(out, `Revoked ${k.name}: clients sending it are refused from now on.`);
          await refresh();
        }));
        return b;
      }],
    ], keys));
  }

  // the key's origins as text, with a form to change them (PATCH /v1/admin/write-keys/{id})
  function originsCell(k) {
    const text = (k.allowed_origins || ['*']).join(', ');
    if (k.revoked_at) return h('code', {}, text);
    const input = h('input', { name: `origins-${k.id}`, value: text, 'aria-label': `Allowed origins of ${k.name}` });
    const save = h('button', { type: 'submit', class: 'secondary' }, 'Save');
    const f = h('form', { class: 'inline' }, input, save);
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(save, out, async () => {
        await api('PATCH', `/v1/admin/write-keys/${k.id}`, { allowed_origins: parseOrigins(input.value) });
        notice(out, `Allowed origins of ${k.name} saved.`);
        await refresh();
      });
    });
    return f;
  }

  await refresh();
}

function parseOrigins(text) {
  return text.split(',').map((o) => o.trim()).filter((o) => o.length > 0);
}
