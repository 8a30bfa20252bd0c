// Warehouse: every table with its rows and newest received_at / _synced_at: is data still arriving?
import { api, fill, h, table, time } from '/console/lib.js';

export async function render(page) {
  const w = await api('GET', '/v1/admin/warehouse/tables');
  fill(page,
    h('p', {}, `${w.warehouse} · ${(w.disk_bytes / 1e6).toFixed(1)} MB on disk`),
    h('section', { class: 'card' }, h('h2', {}, 'Tables'), table([
      ['Table', (t) => h('code', {}, `${t.schema}.${t.table}`)],
      ['Rows', (t) => String(t.rows)],
      ['Last hour', (t) => t.rows_last_hour === undefined ? '—' : String(t.rows_last_hour)],
      ['Newest received_at', (t) => time(t.newest_received_at)],
      ['Newest _synced_at', (t) => time(t.newest_synced_at)],
    ], w.tables, 'No table yet: the webhook and the mirror create them as data arrives.')));
}
