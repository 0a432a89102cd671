/** The learning-curves figure of the report, from the train stage's `history` output. */
import type { EpochRecord, History } from '@ser/model';
import type { TopLevelSpec } from 'vega-lite';
import { SPEC_BASE } from './spec-base.ts';

/**
 * One epoch of the train stage's `history` output as the figures read it: @ser/model's `EpochRecord`
 * (the writer's type) as JSON stores it, where NaN (no validation rows) becomes null.
 */
export type EpochScores = Pick<EpochRecord, 'epoch' | 'loss' | 'accuracy'> & {
  valLoss: number | null;
  valAccuracy: number | null;
};

/** The parts of @ser/model's `History` (history.json) that the figures use. */
export type TrainingHistory = Pick<History, 'bestEpoch' | 'backend'> & { epochs: EpochScores[] };

/** Validate a parsed history JSON; `source` names the file in errors. */
export function parseHistory(json: unknown, source: string): TrainingHistory {
  const h = (json ?? {}) as Record<string, unknown>;
  if (!Array.isArray(h.epochs) || h.epochs.length === 0) throw new Error(`${source}: 'epochs' must be a non-empty array`);
  const value = (e: Record<string, unknown>, key: string, nullable: boolean): number | null => {
    const v = e[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (nullable && (v === null || Number.isNaN(v))) return null;
    throw new Error(`${source}: epoch ${String(e.epoch)}: '${key}' must be a number, got ${JSON.stringify(v)}`);
  };
  const epochs = (h.epochs as Record<string, unknown>[]).map((e, i) => {
    if (e?.epoch !== i + 1) throw new Error(`${source}: epochs[${i}].epoch must be ${i + 1}, got ${JSON.stringify(e?.epoch)}`);
    return {
      epoch: i + 1,
      loss: value(e, 'loss', false)!,
      accuracy: value(e, 'accuracy', false)!,
      valLoss: value(e, 'valLoss', true),
      valAccuracy: value(e, 'valAccuracy', true),
    };
  });
  const bestEpoch = h.bestEpoch;
  if (typeof bestEpoch !== 'number' || !Number.isInteger(bestEpoch) || bestEpoch < 1 || bestEpoch > epochs.length)
    throw new Error(`${source}: 'bestEpoch' must be an epoch number in 1..${epochs.length}, got ${JSON.stringify(bestEpoch)}`);
  return { epochs, bestEpoch, backend: typeof h.backend === 'string' ? h.backend : '' };
}

/** Loss and accuracy per epoch, train and validation, with the kept (best) epoch marked. */
export function learningCurvesSpec(history: TrainingHistory, title = 'Learning curves'): TopLevelSpec {
  const values = history.epochs.flatMap((e) =>
    [
      { metric: 'loss', split: 'train', value: e.loss },
      { metric: 'loss', split: 'validation', value: e.valLoss },
      { metric: 'accuracy', split: 'train', value: e.accuracy },
      { metric: 'accuracy', split: 'validation', value: e.valAccuracy },
    ]
      .filter((r) => r.value !== null)
      .map((r) => ({ epoch: e.epoch, ...r })),
  );
  const panel = (metric: string) => ({
    title: metric,
    width: 300,
    height: 200,
    transform: [{ filter: `datum.metric === '${metric}'` }],
    layer: [
      {
        mark: { type: 'line' as const, point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative' as const, axis: { tickMinStep: 1 }, scale: { domainMin: 1 } },
          y: { field: 'value', type: 'quantitative' as const, title: metric, scale: { zero: false } },
          color: { field: 'split', type: 'nominal' as const, scale: { domain: ['train', 'validation'] }, title: null },
        },
      },
      {
        data: { values: [{ epoch: history.bestEpoch, label: `kept epoch ${history.bestEpoch}` }] },
        layer: [
          { mark: { type: 'rule' as const, strokeDash: [4, 3], color: 'gray' }, encoding: { x: { field: 'epoch', type: 'quantitative' as const } } },
          {
            mark: { type: 'text' as const, align: 'left' as const, dx: 3, y: 0, baseline: 'top' as const, color: 'gray' },
            encoding: { x: { field: 'epoch', type: 'quantitative' as const }, text: { field: 'label' } },
          },
        ],
      },
    ],
  });
  return {
    ...SPEC_BASE,
    title: history.backend ? `${title} (backend ${history.backend})` : title,
    data: { values },
    hconcat: [panel('loss'), panel('accuracy')],
  } as TopLevelSpec;
}
