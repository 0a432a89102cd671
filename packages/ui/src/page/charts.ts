/**
 * Vega-Lite charts in the page through vega-embed. Expressions run in vega-interpreter rather than
 * compiled with `new Function`, so the page's Content-Security-Policy needs no 'unsafe-eval'.
 */
import embed from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import type { TopLevelSpec } from 'vega-lite';
import { h } from './dom.ts';

/** A figure element that draws `spec` once attached; `name` marks it for tests and screenshots. */
export function chart(name: string, spec: TopLevelSpec): HTMLElement {
  const el = h('figure', { class: 'chart', 'data-chart': name });
  void embed(el, spec, { actions: false, renderer: 'svg', ast: true, expr: expressionInterpreter }).then(
    () => el.setAttribute('data-drawn', 'true'),
    (e: Error) => el.append(h('p', { class: 'error' }, `${name}: ${e.message}`)),
  );
  return el;
}
