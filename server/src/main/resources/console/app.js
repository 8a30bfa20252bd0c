// The shell of every page: marks where we are, wires sign-out, and renders the page the path names.
import { api, fill, session } from '/console/lib.js';

const PAGES = {
  overview: 'Overview',
  events: 'Live events',
  integrations: 'Integrations',
  subscriptions: 'Subscriptions',
  'dead-letters': 'Dead letters',
  audiences: 'Audiences',
  sources: 'Sources',
  warehouse: 'Warehouse',
  'write-keys': 'Write keys',
  api: 'API reference',
};

const name = location.pathname.replace(/^\/+|\/+$/g, '') || 'overview';
const title = PAGES[name] || 'Not found';
document.title = `${title} · gridsync`;
document.getElementById('title').textContent = title;
for (const a of document.querySelectorAll('header nav a')) {
  if (a.getAttribute('href') === `/${name}`) a.setAttribute('aria-current', 'page');
}

document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await api('DELETE', '/v1/admin/session');
  } finally {
    location.assign('/');
  }
});

const error = document.getElementById('page-error');
try {
  await session();
  const page = await import(`/console/pages/${name}.js`);
  await page.render(document.getElementById('page'));
} catch (e) {
  if (e.status !== 401) {
    fill(error, e.message);
    error.hidden = false;
  }
}
