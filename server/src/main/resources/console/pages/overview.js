// Overview: the last hour's traffic as a chart, the queue, SendGrid's answers per endpoint, health and disk.
import uPlot from '/console/vendor/uPlot.esm.js';
import { api, badge, fill, h, table, time } from '/console/lib.js';

const COLORS = { accepted: '#0969da', delivered: '#1a7f37', retrying: '#bf8700', dead: '#cf222e', blocked: '#8c959f' };

export async function render(page) {
  const [o, health] = await Promise.all([api('GET', '/v1/admin/overview?minutes=60'), healthz()]);
  const chart = h('div', { class: 'chart', role: 'img', 'aria-label': 'Messages accepted and deliveries by outcome per minute, last hour' });
  const totals = Object.keys(COLORS).map((k) => [k, o.buckets.reduce((n, b) => n + b[k], 0)]);
  fill(page,
    h('div', { class: 'tiles' },
      totals.map(([k, n]) => tile(n, `${k} (last hour)`)),
      tile(o.queue.pending, 'jobs waiting'), tile(o.queue.retrying, 'jobs retrying'), tile(o.queue.dead, 'dead letters')),
    h('section', { class: 'card' }, h('h2', {}, 'Last hour'),
      h('p', { class: 'legend-note' }, `Per ${o.bucket_seconds / 60} minute, from `, time(o.from), ' to ', time(o.to), '.'),
      chart),
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, 'SendGrid answers per endpoint'),
        table([
          ['Endpoint', (e) => h('span', {}, e.endpoint, h('span', { class: 'sub' }, e.action))],
          ['Status', (e) => h('span', { class: 'status' }, e.status === null ? 'no answer' : String(e.status))],
          ['Attempts', (e) => String(e.attempts)],
          ['Mean', (e) => `${e.mean_ms} ms`],
          ['Max', (e) => `${e.max_ms} ms`],
        ], o.endpoints, 'No delivery attempts in the last hour.')),
      h('section', { class: 'card' }, h('h2', {}, 'Health'),
        table([
          ['Component', ([name]) => name],
          ['Status', ([, c]) => badge(c.status, c.status)],
          ['Detail', ([, c]) => c.detail || ''],
        ], Object.entries(health.components || {})),
        health.disk ? h('p', {}, 'Disk: ', h('strong', {}, gb(health.disk.total_bytes - health.disk.free_bytes)), ' used of ',
          gb(health.disk.total_bytes), ` (${gb(health.disk.free_bytes)} free) at `, h('code', {}, health.disk.path)) : null)));
  const width = Math.max(280, chart.clientWidth);
  const xs = o.buckets.map((b) => Date.parse(b.start) / 1000);
  const plot = new uPlot({
    width, height: 240,
    series: [{}, ...Object.entries(COLORS).map(([k, c]) => ({ label: k, stroke: c, width: 2 }))],
    axes: [{}, { label: 'per bucket' }],
  }, [xs, ...Object.keys(COLORS).map((k) => o.buckets.map((b) => b[k]))], chart);
  // the chart follows its card's width (a phone turned, a window resized), never wider than the page
  new ResizeObserver(() => {
    const w = Math.max(280, chart.clientWidth);
    if (w !== plot.width) plot.setSize({ width: w, height: 240 });
  }).observe(chart);
}

async function healthz() {
  // /healthz answers 503 with the same body when a component is not ok: both are shown
  const res = await fetch('/healthz', { credentials: 'same-origin' });
  return res.json();
}

function tile(n, label) {
  return h('div', { class: 'tile' }, h('span', { class: 'n' }, String(n)), h('span', { class: 'l' }, label));
}

function gb(bytes) {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}
