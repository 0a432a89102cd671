/** What the eval stage writes: the evaluated splits, the figure files, and the output declarations. */
import type { OutputDeclaration } from '@ser/core';

/** Splits the eval stage scores (never train: its recordings were fitted). */
export const EVALUATED = ['val', 'test'] as const;
export type EvaluatedSplit = (typeof EVALUATED)[number];

export const CONFUSION_KINDS = ['counts', 'normalised'] as const;

/** Figure names, each written as `<name>.svg` and `<name>.png`. */
export const FIGURES = ['learning-curves', ...EVALUATED.flatMap((s) => CONFUSION_KINDS.map((k) => `confusion-${s}-${k}`))];

export const EVAL_OUTPUTS: Record<string, OutputDeclaration> = {
  metrics: { description: 'metrics.json: per evaluated split, accuracy, balanced accuracy, macro/weighted F1, per-class scores, confusion matrix, per-gender scores; the split protocol' },
  report: { description: 'report.html: self-contained report of the metrics, figures, params and hashes' },
  ...Object.fromEntries(FIGURES.flatMap((f) => ['svg', 'png'].map((ext) => [`${f}.${ext}`, { description: `the ${f} figure (${ext.toUpperCase()})` }]))),
};
