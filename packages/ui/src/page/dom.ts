/// <reference lib="dom" />
/** Building the pages' DOM: elements, tables, text. No framework: a page is rebuilt on each route change. */

type Child = Node | string | number | null | undefined | false;

/** An element with attributes (strings; `on*` keys take listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | ((e: Event) => void) | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v !== undefined) el.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
  return el;
}

/** A table; cells of columns listed in `numeric` are right-aligned. */
export function table(header: Child[], rows: Child[][], numeric: (column: number) => boolean = () => false): HTMLTableElement {
  const cell = (tag: 'th' | 'td', c: Child, i: number) => h(tag, numeric(i) ? { class: 'num' } : {}, c);
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        header.map((c, i) => cell('th', c, i)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {},
          r.map((c, i) => cell('td', c, i)),
        ),
      ),
    ),
  );
}

/** Replace the page's content. */
export function show(...children: Child[]): HTMLElement {
  const app = document.getElementById('app')!;
  app.replaceChildren(
    ...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)),
  );
  return app;
}
