/**
 * The reference values of the stats tests: fixtures/stats-reference.json, written by
 * fixtures/stats_reference.py with SciPy 1.17.1, NumPy 2.4.6 and scikit-learn 1.9.1
 * (the versions are recorded in the file itself).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

type Interval = [number, number];
interface PairedSet {
  a: number[];
  b: number[];
  mean: number;
  std: number;
  ci95: Interval;
}
interface BootstrapSet {
  yTrue: number[];
  numClasses: number;
  resamples: number;
  ci95: Interval;
  bootstrapStd: number;
}

export interface StatsReference {
  versions: Record<string, string>;
  tQuantiles: { df: number; p: number; ppf: number }[];
  /** scipy.stats.t.ppf(0.975, df) for df = 1, 2, …, 1000. */
  tQuantile975ByDf: number[];
  tCdf: { df: number; t: number; cdf: number }[];
  logGamma: { x: number; value: number }[];
  /** `exact`: 40-digit rational arithmetic for half-integer arguments, else null. */
  logBeta: { a: number; b: number; scipy: number; exact: number | null }[];
  incompleteBeta: { x: number; a: number; b: number; value: number }[];
  summaries: { values: number[]; mean: number; std: number; ci95: Interval }[];
  pairedReal: PairedSet;
  pairedNone: PairedSet;
  welch: { a: number[]; b: number[]; difference: number; df: number; ci95: Interval };
  bootstrap: BootstrapSet & { yPred: number[]; macroF1: number; accuracy: number };
  pairedBootstrap: BootstrapSet & { predA: number[]; predB: number[]; a: number; b: number };
  prng: { seed: number; words: number[] }[];
}

export const reference = JSON.parse(readFileSync(resolve(import.meta.dirname, 'fixtures/stats-reference.json'), 'utf8')) as StatsReference;
