// API reference: /v1/admin/openapi.json rendered by tag, with each operation's parameters and an example body.
import { api, fill, h, json } from '/console/lib.js';

export async function render(page) {
  const doc = await api('GET', '/v1/admin/openapi.json');
  const byTag = new Map(doc.tags.map((t) => [t.name, { ...t, ops: [] }]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue;
      const params = [...(item.parameters || []), ...(op.parameters || [])].map((p) => resolve(doc, p));
      byTag.get(op.tags[0]).ops.push({ path, method, op, params });
    }
  }
  fill(page,
    h('p', {}, doc.info.description),
    h('p', {}, 'The same description as JSON, for tools: ', h('a', { href: '/v1/admin/openapi.json' }, '/v1/admin/openapi.json'), '.'),
    h('nav', { class: 'card', 'aria-label': 'API sections' }, h('ul', {}, [...byTag.values()].map((t) => h('li', {}, h('a', { href: `#tag-${t.name}` }, t.name), ` — ${t.description}`)))),
    [...byTag.values()].map((t) => h('section', { class: 'card', id: `tag-${t.name}` },
      h('h2', {}, t.name), h('p', { class: 'hint' }, t.description),
      t.ops.map(({ path, method, op, params }) => h('div', { class: 'op' },
        h('h3', {}, h('span', { class: `method method-${method}` }, method.toUpperCase()), h('code', {}, path)),
        h('p', {}, op.summary, op.security && op.security.length === 0 ? ' (no authentication)' : ''),
        op.description ? h('p', { class: 'hint' }, op.description) : null,
        params.length ? h('ul', {}, params.map((p) => h('li', {}, h('code', {}, p.name), ` (${p.in}${p.required ? ', required' : ''})`,
          p.description ? ` — ${p.description}` : ''))) : null,
        op['x-example'] ? h('details', {}, h('summary', {}, 'Example body'), json(op['x-example'])) : null,
        h('p', { class: 'hint' }, 'Answers: ', Object.entries(op.responses).map(([code, r]) => `${code} ${resolve(doc, r).description}`).join(' · ')))))));
}

function resolve(doc, node) {
  if (!node.$ref) return node;
  return node.$ref.replace('#/', '').split('/').reduce((n, k) => n[k], doc);
}
