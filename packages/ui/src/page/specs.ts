/**
 * The UI's own figures, beside @ser/eval's (confusion matrices, one run's learning curves): several
 * runs' learning curves overlaid, and a clip's class probabilities.
 */
import type { TopLevelSpec } from 'vega-lite';
import { SPEC_BASE, type TrainingHistory } from '@ser/eval/figure-specs';

/**
 * Loss and accuracy per epoch, one colour per run, solid for training and dashed for validation; a
 * cross-validation run draws one line per fold (`task`) in its colour.
 */
export function overlaidCurvesSpec(runs: { id: string; task: string; history: TrainingHistory }[]): TopLevelSpec {
  const values = runs.flatMap(({ id, task, history }) =>
    history.epochs.flatMap((e) =>
      [
        { metric: 'loss', split: 'train', value: e.loss },
        { metric: 'loss', split: 'validation', value: e.valLoss },
        { metric: 'accuracy', split: 'train', value: e.accuracy },
        { metric: 'accuracy', split: 'validation', value: e.valAccuracy },
      ]
        .filter((r) => r.value !== null)
        .map((r) => ({ run: id, task, epoch: e.epoch, ...r })),
    ),
  );
  const panel = (metric: string) => ({
    title: metric,
    width: 320,
    height: 220,
    transform: [{ filter: `datum.metric === '${metric}'` }],
    mark: { type: 'line' as const, point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' as const, axis: { tickMinStep: 1 }, scale: { domainMin: 1 } },
      y: { field: 'value', type: 'quantitative' as const, title: metric, scale: { zero: false } },
      color: { field: 'run', type: 'nominal' as const, title: 'run' },
      detail: { field: 'task', type: 'nominal' as const },
      strokeDash: {
        field: 'split',
        type: 'nominal' as const,
        scale: {
          domain: ['train', 'validation'],
          range: [
            [1, 0],
            [5, 3],
          ],
        },
        title: null,
      },
    },
  });
  return { ...SPEC_BASE, title: 'Learning curves', data: { values }, hconcat: [panel('loss'), panel('accuracy')] } as TopLevelSpec;
}

/** One bar per class, the predicted one highlighted. */
export function probabilitiesSpec(probabilities: Record<string, number>): TopLevelSpec {
  const classes = Object.keys(probabilities);
  const best = classes.reduce((a, b) => (probabilities[b] > probabilities[a] ? b : a));
  return {
    ...SPEC_BASE,
    width: 360,
    height: { step: 22 },
    data: { values: classes.map((c) => ({ emotion: c, probability: probabilities[c], predicted: c === best })) },
    layer: [
      {
        mark: 'bar',
        encoding: {
          y: { field: 'emotion', type: 'nominal', sort: classes, title: null },
          x: { field: 'probability', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          color: { field: 'predicted', type: 'nominal', scale: { domain: [false, true], range: ['#9ecae9', '#4c78a8'] }, legend: null },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 3 },
        encoding: {
          y: { field: 'emotion', type: 'nominal', sort: classes },
          x: { field: 'probability', type: 'quantitative' },
          text: { field: 'probability', type: 'quantitative', format: '.1%' },
        },
      },
    ],
  } as TopLevelSpec;
}
