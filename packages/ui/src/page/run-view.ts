/** One run: metrics (with intervals where recorded), per-class scores, confusion matrices, learning curves, params, hashes, why each stage ran. */
import { confusionMatrixSpec, learningCurvesSpec, parseHistory } from '@ser/eval/figure-specs';
import type { EvalMetrics, SplitMetrics } from '@ser/eval';
import { fetchRun } from './api.ts';
import { chart } from './charts.ts';
import { h, show, table } from './dom.ts';
import { intervalText, timeText, valueText } from './format.ts';

const SPLITS = ['val', 'test'] as const;
const pct = (x: number) => (100 * x).toFixed(1);

/** The summary table of the report (eval's report.ts), with a metric's interval beside it when the run has one. */
function metricsTable(m: EvalMetrics, intervals: Record<string, [number, number]>): HTMLElement {
  const splits = SPLITS.filter((s) => m[s]);
  const withCi = (path: string, text: string) => h('span', {}, text, intervals[path] ? h('span', { class: 'ci' }, ` ${intervalText(intervals[path])}`) : null);
  const row = (label: string, key: string, format: (v: number) => string, get: (s: SplitMetrics) => number) => [
    label,
    ...splits.map((s) => withCi(`${s}.${key}`, format(get(m[s]!)))),
  ];
  const genders = [...new Set(splits.flatMap((s) => Object.keys(m[s]!.byGender)))];
  return table(
    ['metric', ...splits],
    [
      ['samples', ...splits.map((s) => String(m[s]!.count))],
      row('accuracy (%)', 'accuracy', pct, (s) => s.accuracy),
      row('balanced accuracy / UAR (%)', 'balancedAccuracy', pct, (s) => s.balancedAccuracy),
      row(
        'macro-F1',
        'macroF1',
        (v) => v.toFixed(3),
        (s) => s.macroF1,
      ),
      row(
        'weighted F1',
        'weightedF1',
        (v) => v.toFixed(3),
        (s) => s.weightedF1,
      ),
      ...genders.map((g) =>
        row(
          `macro-F1, ${g} speakers`,
          `byGender.${g}.macroF1`,
          (v) => v.toFixed(3),
          (s) => s.byGender[g]?.macroF1 ?? NaN,
        ),
      ),
    ],
    (c) => c > 0,
  );
}

function perClass(s: SplitMetrics): HTMLElement {
  return table(
    ['class', 'precision', 'recall', 'F1', 'support'],
    Object.entries(s.perClass).map(([name, c]) => [name, c.precision.toFixed(3), c.recall.toFixed(3), c.f1.toFixed(3), String(c.support)]),
    (c) => c > 0,
  );
}

export async function runView(id: string): Promise<void> {
  const { record, histories, params, intervals } = await fetchRun(id);
  const m = record.metrics as EvalMetrics | null;
  const confusions = m
    ? SPLITS.filter((s) => m[s]).flatMap((s) =>
        [false, true].map((normalize) =>
          chart(
            `confusion-${s}-${normalize ? 'normalised' : 'counts'}`,
            confusionMatrixSpec(m[s]!.confusionMatrix, m.classes, { normalize, title: `Confusion matrix, ${s}` }),
          ),
        ),
      )
    : [];
  const base = `/runs/${encodeURIComponent(record.id)}`;
  show(
    h('h1', {}, `Run ${record.id}`),
    h(
      'p',
      {},
      `created ${timeText(record.createdAt)}`,
      record.gitCommit ? ` · commit ${record.gitCommit.slice(0, 12)}` : '',
      record.backend ? ` · backend ${record.backend}` : '',
      ' · ',
      h('a', { href: `${base}/eval/report.html` }, 'report.html'),
      ' · ',
      h('a', { href: `#/try/${encodeURIComponent(record.id)}` }, 'try this model'),
    ),
    m ? h('p', { class: 'muted' }, `Split protocol: ${m.protocol.description}.`) : h('p', { class: 'muted' }, 'This run has no metrics (no eval stage).'),
    m && h('h2', {}, 'Metrics'),
    m && metricsTable(m, intervals),
    m && h('h2', {}, 'Per class'),
    m &&
      h(
        'div',
        { class: 'cols' },
        SPLITS.filter((s) => m[s]).map((s) => h('div', {}, h('h3', {}, s), perClass(m[s]!))),
      ),
    m && h('h2', {}, 'Confusion matrices'),
    h('div', { class: 'cols' }, confusions),
    h('h2', {}, 'Learning curves'),
    ...(histories.length
      ? histories.map(({ task, history }) =>
          task === 'train'
            ? chart('learning-curves', learningCurvesSpec(parseHistory(history, `${base}/train/history.json`)))
            : chart(
                `learning-curves-${task}`,
                learningCurvesSpec(parseHistory(history, `${base}/${task}/history.json`), `Learning curves, ${task.replace('train.', '')}`),
              ),
        )
      : [h('p', { class: 'muted' }, 'no history.json')]),
    h('h2', {}, 'Why each stage ran'),
    table(
      ['stage', 'ran', 'why', 'outputs'],
      Object.entries(record.stages).map(([stage, s]) => [
        stage,
        s.ran ? `ran in ${(s.wallMs / 1000).toFixed(1)} s` : 'from cache',
        s.ran ? s.reasons.join('; ') || 'no reason recorded' : 'up to date',
        h('code', {}, s.outputsHash.slice(0, 12)),
      ]),
    ),
    h('h2', {}, 'Data and code'),
    table(
      ['what', 'value'],
      [
        [`dataset (${record.dataset.path})`, h('code', {}, record.dataset.hash ?? '(none)')],
        ['git commit', h('code', {}, record.gitCommit ?? '(not a git checkout)')],
        ...Object.entries(record.stages).map(([stage, s]) => [`${stage} outputs`, h('code', {}, s.outputsHash)]),
      ],
    ),
    h('h2', {}, 'Params'),
    Object.keys(record.overrides).length
      ? h(
          'p',
          {},
          'overrides: ',
          h(
            'code',
            {},
            Object.entries(record.overrides)
              .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
              .join(' '),
          ),
        )
      : null,
    table(
      ['param', 'value'],
      params.map(([k, v]) => [k, h('code', {}, valueText(v))]),
    ),
  );
}
