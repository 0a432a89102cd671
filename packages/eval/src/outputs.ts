/** What the eval stage writes: the evaluated splits, the figure files, and the output declarations. */
import type { OutputDeclaration } from '@ser/core';

/** Splits the eval stage scores (never train: its recordings were fitted). */
export const EVALUATED = ['val', 'test'] as const;
export type EvaluatedSplit = (typeof EVALUATED)[number];

export const CONFUSION_KINDS = ['counts', 'normalised'] as const;

/** Figure names, each written as `<name>.svg` and `<name>.png` (`*`: one per fold). */
export const FIGURES = ['learning-curves', 'learning-curves-fold*', ...EVALUATED.flatMap((s) => CONFUSION_KINDS.map((k) => `confusion-${s}-${k}`))];

export const EVAL_OUTPUTS: Record<string, OutputDeclaration> = {
  metrics: {
    description:
      'metrics.json: per evaluated split, accuracy, balanced accuracy, macro/weighted F1, per-class scores, confusion matrix, per-gender scores; the split protocol; an interval per figure (summary); with cross-validation, per-fold entries (folds)',
  },
  predictions: {
    description: 'one row per scored val/test recording of the fold',
    columns: {
      id: 'utf8: recording id',
      split: "utf8: 'val' or 'test'",
      gender: "utf8: the speaker's gender ('' unknown)",
      label_index: 'int32: true class',
      predicted: 'int32: predicted class (argmax)',
      probabilities: 'fixed_shape_tensor<float32>[classes]: the model output',
    },
  },
  report: { description: 'report.html: self-contained report of the metrics, intervals, figures, params and hashes' },
  ...Object.fromEntries(
    FIGURES.flatMap((f) => ['svg', 'png'].map((ext) => [`${f}.${ext}`, { description: `the ${f.replace('*', '<k>')} figure (${ext.toUpperCase()})` }])),
  ),
};
