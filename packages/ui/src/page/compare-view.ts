/** Two or more runs: the params that differ, metric deltas from the first run (with the paired verdict where the runs have one), overlaid learning curves, confusion matrices side by side. */
import { confusionMatrixSpec, parseHistory } from '@ser/eval/figure-specs';
import type { EvalMetrics } from '@ser/eval';
import { fetchComparison } from './api.ts';
import { chart } from './charts.ts';
import { h, show, table } from './dom.ts';
import { intervalText, metricText, signed, valueText } from './format.ts';
import { overlaidCurvesSpec } from './specs.ts';

export async function compareView(ids: string[]): Promise<void> {
  const { records, params, diffs, verdicts, intervals, keyMetrics, histories } = await fetchComparison(ids);
  const [base] = records;
  const link = (id: string) => h('a', { href: `#/run/${encodeURIComponent(id)}` }, id);
  const valueWithCi = (run: number, key: string, value: number | null) =>
    h('span', {}, metricText(key, value), intervals[run][key] ? h('span', { class: 'ci' }, ` ${intervalText(intervals[run][key])}`) : null);
  const metricRow = (key: string) => [
    key,
    valueWithCi(0, key, diffs[0].metrics.find((m) => m.key === key)?.a ?? null),
    ...diffs.map((d, i) => {
      const m = d.metrics.find((x) => x.key === key);
      const v = verdicts[i].find((x) => x.key === key);
      return h(
        'span',
        {},
        valueWithCi(i + 1, key, m?.b ?? null),
        m?.delta != null ? h('span', { class: 'delta' }, ` (${signed(m.delta)})`) : null,
        v ? h('div', { class: 'verdict' }, v.verdict.sentence) : null,
      );
    }),
  ];
  // Every metric of any diff: the key metrics first, the others (per gender, counts, …) folded away.
  const keys = [...new Set(diffs.flatMap((d) => d.metrics.map((m) => m.key)))];
  // A function: a DOM node can sit in one table only.
  const header = () => ['metric', ...records.map((r) => link(r.id))];
  const numeric = (c: number) => c > 0;
  const curves = records.flatMap((r, i) =>
    histories[i].map(({ task, history }) => ({ id: r.id, task, history: parseHistory(history, `${r.id}/${task}/history.json`) })),
  );
  const hasVerdicts = verdicts.some((v) => v.length > 0);
  show(
    h('h1', {}, `Compare ${records.length} runs`),
    h(
      'p',
      {},
      'Deltas are from the first run, ',
      link(base.id),
      // Each diff says how its verdicts were made (paired over folds, seeds or the same test recordings), or why there are none.
      hasVerdicts
        ? `; verdicts: ${diffs.map((d) => d.comparison?.description ?? `none (${d.noVerdict})`).join('; ')}.`
        : `; no verdicts: ${diffs[0]?.noVerdict ?? 'one run'}.`,
    ),
    h('h2', {}, 'Params that differ'),
    params.length
      ? table(
          ['param', ...records.map((r) => link(r.id))],
          params.map((p) => [p.key, ...p.values.map((v) => h('code', {}, valueText(v)))]),
        )
      : h('p', {}, 'identical params'),
    h('h2', {}, 'Metrics'),
    table(header(), keys.filter((k) => keyMetrics.includes(k)).map(metricRow), numeric),
    h('details', {}, h('summary', {}, 'all metrics'), table(header(), keys.filter((k) => !keyMetrics.includes(k)).map(metricRow), numeric)),
    h('h2', {}, 'Learning curves'),
    curves.length ? chart('compare-curves', overlaidCurvesSpec(curves)) : h('p', { class: 'muted' }, 'no history.json in these runs'),
    h('h2', {}, 'Confusion matrices (test, row-normalised)'),
    h(
      'div',
      { class: 'cols' },
      records.map((r) => {
        const m = r.metrics as EvalMetrics | null;
        return m?.test
          ? chart(`confusion-${r.id}`, confusionMatrixSpec(m.test.confusionMatrix, m.classes, { normalize: true, title: r.id }))
          : h('p', {}, `${r.id}: no test metrics`);
      }),
    ),
  );
}
