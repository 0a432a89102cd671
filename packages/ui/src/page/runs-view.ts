/** The runs table: `ser exp show`'s rows, sortable by any column, filtered by a param value, runs picked for comparison. */
import type { Column, RunsTable } from '../runs-api.ts';
import { fetchRuns, type RunsRequest } from './api.ts';
import { h, show } from './dom.ts';
import { intervalText, metricText, timeText, valueText } from './format.ts';

/** Sorting and filtering stay as set while the page is open. */
const state: RunsRequest = {};
const picked = new Set<string>();

function cell(column: Column, row: Record<string, unknown>, table: RunsTable): Node | string {
  const value = row[column.name];
  if (column.name === 'id') return h('a', { href: `#/run/${encodeURIComponent(String(value))}` }, String(value));
  if (column.name === 'created') return typeof value === 'string' ? timeText(value) : valueText(value);
  if (column.kind !== 'metric') return valueText(value);
  const ci = table.intervals[String(row.id)]?.[column.name];
  return h('span', {}, metricText(column.name, value), ci ? h('span', { class: 'ci' }, ` ${intervalText(ci)}`) : null);
}

function header(column: Column): HTMLElement {
  const sorted = state.sort === column.name;
  const ascending = state.asc ?? column.kind !== 'metric';
  return h(
    'th',
    {
      class: `sortable${sorted ? ' sorted' : ''}${sorted && ascending ? ' asc' : ''}${column.kind === 'metric' ? ' num' : ''}`,
      title: 'sort',
      onclick: () => {
        // First click: the column's natural order (metrics high to low); clicking again flips it.
        state.asc = sorted ? !ascending : undefined;
        state.sort = column.name;
        void runsView();
      },
    },
    column.name,
  );
}

function filterSelect(table: RunsTable): HTMLElement {
  const current = state.filter ? `${state.filter.key}=${JSON.stringify(state.filter.value)}` : '';
  const options = table.filters.flatMap((f) => f.values.map((v) => `${f.key}=${JSON.stringify(v)}`));
  return h(
    'label',
    {},
    'filter: ',
    h(
      'select',
      {
        'data-role': 'filter',
        onchange: (e) => {
          const v = (e.target as HTMLSelectElement).value;
          const split = v.indexOf('=');
          state.filter = v ? { key: v.slice(0, split), value: JSON.parse(v.slice(split + 1)) } : undefined;
          void runsView();
        },
      },
      h('option', { value: '' }, 'all runs'),
      options.map((o) => h('option', o === current ? { value: o, selected: '' } : { value: o }, o.replace('=', ' = '))),
    ),
  );
}

export async function runsView(): Promise<void> {
  const table = await fetchRuns(state);
  const compare = h(
    'button',
    {
      disabled: picked.size < 2 ? '' : undefined,
      'data-role': 'compare',
      onclick: () => (location.hash = `#/compare/${[...picked].map(encodeURIComponent).join(',')}`),
    },
    'Compare selected',
  );
  const pick = (id: string) =>
    h('input', {
      type: 'checkbox',
      'data-run': id,
      ...(picked.has(id) ? { checked: '' } : {}),
      onchange: (e) => {
        if ((e.target as HTMLInputElement).checked) picked.add(id);
        else picked.delete(id);
        compare.toggleAttribute('disabled', picked.size < 2);
      },
    });
  show(
    h('h1', {}, 'Runs'),
    h('p', { class: 'muted' }, `${table.rows.length} of ${table.total} recorded runs in data/runs; params shown are those that differ.`),
    h('p', {}, filterSelect(table), ' ', compare),
    table.rows.length === 0
      ? h('p', {}, 'No recorded runs yet: train one with ', h('code', {}, 'npx ser run'), '.')
      : h(
          'table',
          { 'data-role': 'runs' },
          h('thead', {}, h('tr', {}, h('th', {}, ''), table.columns.map(header))),
          h(
            'tbody',
            {},
            table.rows.map((row) =>
              h(
                'tr',
                { 'data-run': String(row.id) },
                h('td', {}, pick(String(row.id))),
                table.columns.map((c) => h('td', c.kind === 'metric' ? { class: 'num' } : {}, cell(c, row, table))),
              ),
            ),
          ),
        ),
  );
}
