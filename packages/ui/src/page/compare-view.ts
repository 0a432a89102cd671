/** Two or more runs: the params that differ, metric deltas from the first run (with the paired verdict where the runs have one), overlaid learning curves, confusion matrices side by side. */
import { confusionMatrixSpec, parseHistory } from '@ser/eval/figure-specs';
import type { EvalMetrics } from '@ser/eval';
import { fetchComparison } from './api.ts';
import { chart } from './charts.ts';
import { h, show, table } from './dom.ts';
import { metricText, signed, valueText } from './format.ts';
import { overlaidCurvesSpec } from './specs.ts';

export async function compareView(ids: string[]): Promise<void> {
  const { records, params, diffs, verdicts, histories } = await fetchComparison(ids);
  const [base] = records;
  const link = (id: string) => h('a', { href: `#/run/${encodeURIComponent(id)}` }, id);
  // Every metric of any diff, in the first diff's order (key metrics first, as `ser exp diff`).
  const keys = [...new Set(diffs.flatMap((d) => d.metrics.map((m) => m.key)))];
  const metricRows = keys.map((key) => [
    key,
    metricText(key, diffs[0].metrics.find((m) => m.key === key)?.a ?? null),
    ...diffs.map((d, i) => {
      const m = d.metrics.find((x) => x.key === key);
      const v = verdicts[i].find((x) => x.key === key);
      return h('span', {}, metricText(key, m?.b ?? null), m?.delta != null ? h('span', { class: 'ci' }, ` (${signed(m.delta)})`) : null, v ? h('div', { class: 'verdict' }, v.verdict.sentence) : null);
    }),
  ]);
  const curves = records.flatMap((r, i) => (histories[i] ? [{ id: r.id, history: parseHistory(histories[i], `${r.id}/train/history.json`) }] : []));
  const hasVerdicts = verdicts.some((v) => v.length > 0);
  show(
    h('h1', {}, `Compare ${records.length} runs`),
    h('p', {}, 'Deltas are from the first run, ', link(base.id), hasVerdicts ? '; verdicts are paired over the runs\' shared folds.' : '; these runs have no shared folds, so no paired verdict (deltas only).'),
    h('h2', {}, 'Params that differ'),
    params.length ? table(['param', ...records.map((r) => link(r.id))], params.map((p) => [p.key, ...p.values.map((v) => h('code', {}, valueText(v)))])) : h('p', {}, 'identical params'),
    h('h2', {}, 'Metrics'),
    table(['metric', ...records.map((r) => link(r.id))], metricRows, (c) => c > 0),
    h('h2', {}, 'Learning curves'),
    curves.length ? chart('compare-curves', overlaidCurvesSpec(curves)) : h('p', { class: 'muted' }, 'no history.json in these runs'),
    h('h2', {}, 'Confusion matrices (test, row-normalised)'),
    h(
      'div',
      { class: 'cols' },
      records.map((r) => {
        const m = r.metrics as EvalMetrics | null;
        return m?.test ? chart(`confusion-${r.id}`, confusionMatrixSpec(m.test.confusionMatrix, m.classes, { normalize: true, title: r.id })) : h('p', {}, `${r.id}: no test metrics`);
      }),
    ),
  );
}
