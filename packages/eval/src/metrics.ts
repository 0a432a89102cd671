/**
 * Classification metrics (scikit-learn definitions, sklearn.metrics 1.x).
 *
 * Convention for a class absent from a split (support 0 in y_true):
 * - per-class values follow sklearn's `zero_division=0`: precision is 0 when the class was never
 *   predicted, recall is 0 when it has no true samples, F1 is 0 when precision + recall is 0;
 * - macro averages (precision, recall = balanced accuracy / UAR, F1) run over the classes present
 *   in y_true only, i.e. sklearn `f1_score(y, p, labels=<labels present in y>, average='macro',
 *   zero_division=0)`. A class nobody in the split belongs to says nothing about the model; wrong
 *   predictions *into* it still count, because they lower the recall of the true classes.
 *   This equals sklearn's `balanced_accuracy_score`, which also averages over y_true classes.
 * - weighted averages weight by support, so absent classes weigh 0 either way.
 */

import type { Interval } from './intervals.ts';

/** `cm[t][p]` = number of samples of true class t predicted as p (sklearn confusion_matrix). */
export type ConfusionMatrix = number[][];

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  count: number;
  accuracy: number;
  /** Mean recall over classes present in y_true (unweighted average recall, UAR). */
  balancedAccuracy: number;
  macroPrecision: number;
  macroF1: number;
  weightedF1: number;
  /** Per class name, in class-index order. */
  perClass: Record<string, ClassScores>;
  confusionMatrix: ConfusionMatrix;
}

function checkLabels(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): void {
  if (yTrue.length !== yPred.length) throw new Error(`y_true has ${yTrue.length} labels but y_pred has ${yPred.length}`);
  for (const [name, y] of [
    ['y_true', yTrue],
    ['y_pred', yPred],
  ] as const)
    for (let i = 0; i < y.length; i++)
      if (!Number.isInteger(y[i]) || y[i] < 0 || y[i] >= numClasses) throw new Error(`${name}[${i}] = ${y[i]} is not a class index in [0, ${numClasses})`);
}

export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): ConfusionMatrix {
  checkLabels(yTrue, yPred, numClasses);
  const cm = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) cm[yTrue[i]][yPred[i]]++;
  return cm;
}

/** a / b, or 0 when b is 0 (sklearn zero_division=0). */
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const mean = (xs: number[]) =>
  ratio(
    xs.reduce((s, x) => s + x, 0),
    xs.length,
  );

/** Per-class precision/recall/F1/support from a confusion matrix (sklearn precision_recall_fscore_support). */
export function classScores(cm: ConfusionMatrix): ClassScores[] {
  return cm.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((s, x) => s + x, 0);
    const predicted = cm.reduce((s, r) => s + r[c], 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
}

/** Every metric of one split; `classes[i]` names class index i. */
export function classificationReport(cm: ConfusionMatrix, classes: readonly string[]): ClassificationReport {
  if (cm.length !== classes.length) throw new Error(`confusion matrix has ${cm.length} rows for ${classes.length} classes`);
  const scores = classScores(cm);
  const present = scores.filter((s) => s.support > 0);
  const count = scores.reduce((s, x) => s + x.support, 0);
  const correct = cm.reduce((s, row, c) => s + row[c], 0);
  return {
    count,
    accuracy: ratio(correct, count),
    balancedAccuracy: mean(present.map((s) => s.recall)),
    macroPrecision: mean(present.map((s) => s.precision)),
    macroF1: mean(present.map((s) => s.f1)),
    weightedF1: ratio(
      present.reduce((s, x) => s + x.f1 * x.support, 0),
      count,
    ),
    perClass: Object.fromEntries(classes.map((name, c) => [name, scores[c]])),
    confusionMatrix: cm,
  };
}

/** The report of the samples whose label and prediction are given. */
export function evaluate(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: readonly string[]): ClassificationReport {
  return classificationReport(confusionMatrix(yTrue, yPred, classes.length), classes);
}

export interface GroupScores {
  count: number;
  accuracy: number;
  macroF1: number;
}

/**
 * Accuracy and macro-F1 within each group (e.g. speaker gender), same absent-class convention.
 * Samples whose group is '' (unknown) are left out.
 */
export function groupScores(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  groups: readonly string[],
  classes: readonly string[],
): Record<string, GroupScores> {
  if (groups.length !== yTrue.length) throw new Error(`${groups.length} group labels for ${yTrue.length} samples`);
  const members = new Map<string, number[]>();
  groups.forEach((g, i) => {
    if (g === '') return;
    if (!members.has(g)) members.set(g, []);
    members.get(g)!.push(i);
  });
  const out: Record<string, GroupScores> = {};
  for (const g of [...members.keys()].sort()) {
    const idx = members.get(g)!;
    const r = evaluate(
      idx.map((i) => yTrue[i]),
      idx.map((i) => yPred[i]),
      classes,
    );
    out[g] = { count: r.count, accuracy: r.accuracy, macroF1: r.macroF1 };
  }
  return out;
}

/** Index of the largest value in each row of a row-major [count, numClasses] matrix. */
export function argmaxRows(probabilities: Float32Array, numClasses: number): Int32Array {
  if (probabilities.length % numClasses !== 0) throw new Error(`${probabilities.length} probabilities is not a whole number of rows of ${numClasses} classes`);
  const out = new Int32Array(probabilities.length / numClasses);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probabilities[r * numClasses + c] > probabilities[r * numClasses + best]) best = c;
    out[r] = best;
  }
  return out;
}

/** One split's entry in metrics.json. */
export interface SplitMetrics extends ClassificationReport {
  /** Macro-F1 and accuracy per speaker gender (RAVDESS: odd actors male, even female). */
  byGender: Record<string, GroupScores>;
  /** Speakers evaluated in this split, sorted. */
  speakers: string[];
}

export function splitMetrics(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classes: readonly string[],
  genders: readonly string[],
  speakers: readonly string[],
): SplitMetrics {
  return {
    ...evaluate(yTrue, yPred, classes),
    byGender: groupScores(yTrue, yPred, genders, classes),
    speakers: [...new Set(speakers)].sort(),
  };
}

/** How the evaluated rows were chosen, stated next to the numbers. */
export interface SplitProtocol {
  /** holdout, actor-kfold or loso (split.protocol). */
  name: 'holdout' | 'actor-kfold' | 'loso';
  /** For holdout: recording (random stratified) or actor (speakers held out). */
  groupBy: 'recording' | 'actor';
  /** One sentence for people: how the splits were made, seed, folds, speaker overlap. */
  description: string;
  seed: number;
  /** Folds evaluated. */
  folds: number;
  /** Folds of the split's partition: more than `folds` in a screen (split.screenFolds), which runs its first ones. */
  partitionFolds: number;
  ratios: { train: number; val: number; test: number };
  /** Per evaluated split: how many of its speakers also appear in train (0 = speaker-independent; CV: the most of any fold). */
  speakersSharedWithTrain: { val: number; test: number };
}

/** One cross-validation fold's entry in metrics.json. */
export interface FoldMetrics {
  fold: number;
  /** Speakers per role in this fold. */
  actors: { train: string[]; val: string[]; test: string[] };
  val: SplitMetrics | null;
  test: SplitMetrics | null;
}

/** Contents of metrics.json. */
export interface EvalMetrics {
  classes: string[];
  backend: string;
  protocol: SplitProtocol;
  /**
   * Holdout: the split's scores (null when it is empty). Cross-validation: `test` pools every
   * fold's test recordings (each recording is tested in one fold) and `val` is null (validation
   * speakers differ per fold: see `folds`).
   */
  val: SplitMetrics | null;
  test: SplitMetrics | null;
  /** Cross-validation only: one entry per fold. */
  folds?: FoldMetrics[];
  /** The interval of each figure (intervals.ts): bootstrap for a holdout split, Student-t over folds for cross-validation. */
  summary: Record<string, Interval>;
}
