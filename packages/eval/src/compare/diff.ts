/**
 * `ser exp diff A B`: what changed from run (or group of seed repeats) A to B — params, dataset,
 * stage outputs — and, per metric, B − A with a verdict on whether the difference is real:
 * - two cross-validation runs on the same folds: paired Student-t over folds;
 * - two holdout runs on the same test recordings: paired bootstrap over the recordings;
 * - two groups of seed repeats with the same seeds: paired Student-t over seeds; other seeds: Welch;
 * - anything else: deltas only, and it says why there is no verdict.
 */
import { flatten, type RunPredictions, type RunRecord } from '@ser/core';
import { asMetric, REPORT_FIGURES } from '../intervals.ts';
import { DEFAULT_RESAMPLES, pairedBootstrapDifference } from '../stats/bootstrap.ts';
import { pairedTInterval } from '../stats/paired.ts';
import { mean } from '../stats/summary.ts';
import { verdict, type Verdict } from '../stats/verdict.ts';
import { welchInterval } from '../stats/welch.ts';
import { csvCell, decimals, display, signed, textTable, type TableFormat } from './format.ts';
import type { RunGroup } from './groups.ts';
import { foldSpeakersOf, foldValuesOf, metricOf } from './record-metrics.ts';
import { differingParams, KEY_METRICS } from './show.ts';

export interface DiffOptions {
  /** Every number under `val` and `test`, per-class scores too (default: all but per-class). */
  allMetrics?: boolean;
  /** Deltas below this (absolute) are hidden, and verdicts call them within tolerance. */
  atol?: number;
  /** The predictions of a holdout run, where kept (null: not available). */
  predictions?: (run: RunRecord) => RunPredictions | null;
  classes?: number;
}

export interface MetricDiff {
  key: string;
  a: number | null;
  b: number | null;
  /** b − a; null when either side lacks the metric. */
  delta: number | null;
  /** The 95% interval of the difference, for metrics with a verdict. */
  ci95?: [number, number] | null;
  verdict?: Verdict;
}

export interface Comparison {
  method: 'paired-folds' | 'paired-bootstrap' | 'paired-seeds' | 'welch';
  /** Folds, recordings or seeds. */
  n: number;
  description: string;
}

export interface RunDiff {
  a: string;
  b: string;
  params: { key: string; a: unknown; b: unknown }[];
  metrics: MetricDiff[];
  /** How the verdicts were made, or null with `noVerdict` saying why there are none. */
  comparison: Comparison | null;
  noVerdict?: string;
  dataset: { a: string | null; b: string | null } | null;
  /** Tasks whose outputs differ between the runs. */
  stages: string[];
}

/** metrics.json keys holding a split's numbers (the rest describes the protocol). */
const SPLITS = ['val', 'test'];

/** The figures that get a verdict: the key metrics and the per-gender macro-F1 the runs have. */
function verdictKeys(a: RunRecord, b: RunRecord): string[] {
  const genders = ['test', 'val'].flatMap((s) =>
    Object.keys((a.metrics as { [k: string]: { byGender?: object } } | null)?.[s]?.byGender ?? {}).map((g) => `${s}.byGender.${g}.macroF1`),
  );
  return [...new Set([...KEY_METRICS, ...genders])].filter((k) => metricOf(a, k) !== null && metricOf(b, k) !== null);
}

const sameList = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
const label = (g: RunGroup) => (g.runs.length === 1 ? g.runs[0].id : `${g.runs[0].id} (+${g.runs.length - 1} seed repeats)`);

type Interval95 = { difference: number; ci95: [number, number] | null };

/**
 * The paired test the two sides allow, as a function from a metric path to its difference and
 * interval; `points`, when the pairing covers only part of each side (a screen against a full
 * cross-validation), gives A's and B's figure over the paired part (null: the figure has no per-fold value).
 */
interface Pairing {
  comparison: Comparison;
  test: (key: string) => Interval95 | null;
  points?: (key: string) => [number, number] | null;
}

function pairing(A: RunGroup, B: RunGroup, options: DiffOptions): Pairing | string {
  const seedTuple = (r: RunRecord) => JSON.stringify(Object.keys(A.seeds).map((k) => flatten(r.params)[k]));
  if (A.runs.length > 1 || B.runs.length > 1) {
    const points = (g: RunGroup, key: string) => g.runs.map((r) => metricOf(r, key));
    const seedsA = A.runs.map(seedTuple);
    const seedsB = B.runs.map(seedTuple);
    if (sameList([...seedsA].sort(), [...seedsB].sort()) && new Set(seedsA).size === seedsA.length) {
      const order = (g: RunGroup) => [...g.runs].sort((x, y) => seedTuple(x).localeCompare(seedTuple(y)));
      const [ra, rb] = [order(A), order(B)];
      return {
        comparison: { method: 'paired-seeds', n: ra.length, description: `paired over ${ra.length} seeds (the same seeds on both sides): Student-t` },
        test: (key) => {
          const [xa, xb] = [ra.map((r) => metricOf(r, key)), rb.map((r) => metricOf(r, key))];
          if (xa.includes(null) || xb.includes(null) || ra.length < 2) return null;
          const d = pairedTInterval(xa as number[], xb as number[]);
          return { difference: d.mean, ci95: d.ci95 };
        },
      };
    }
    return {
      comparison: {
        method: 'welch',
        n: A.runs.length + B.runs.length,
        description: `unpaired over ${A.runs.length} and ${B.runs.length} runs (different seeds): Welch`,
      },
      test: (key) => {
        const [xa, xb] = [points(A, key), points(B, key)];
        if (xa.includes(null) || xb.includes(null)) return null;
        const w = welchInterval(xa as number[], xb as number[]);
        return { difference: w.difference, ci95: w.ci95 };
      },
    };
  }
  const [a, b] = [A.runs[0], B.runs[0]];
  const [fa, fb] = [foldSpeakersOf(a), foldSpeakersOf(b)];
  if (fa || fb) {
    // Folds pair by their test speakers; a screen (split.screenFolds) shares its folds with a full run.
    const shared = (fa ?? []).flatMap((speakers, i) => {
      const j = (fb ?? []).findIndex((other) => sameList(other, speakers));
      return j < 0 ? [] : [[i, j] as const];
    });
    if (shared.length < 2) return 'the runs were not scored on the same folds (the same test speakers per fold)';
    const whole = shared.length === fa!.length && shared.length === fb!.length;
    const values = (key: string): [number[], number[]] | null => {
      const [xa, xb] = [foldValuesOf(a, key), foldValuesOf(b, key)];
      return xa && xb ? [shared.map(([i]) => xa[i]), shared.map(([, j]) => xb[j])] : null;
    };
    return {
      comparison: {
        method: 'paired-folds',
        n: shared.length,
        description: whole
          ? `paired over ${shared.length} folds (the same test speakers in each): Student-t`
          : `paired over the ${shared.length} folds both runs scored (A ${fa!.length}, B ${fb!.length}; the same test speakers in each): Student-t; A and B are their means over these folds`,
      },
      test: (key) => {
        const pair = values(key);
        if (!pair) return null;
        const d = pairedTInterval(...pair);
        return { difference: d.mean, ci95: d.ci95 };
      },
      points: whole
        ? undefined
        : (key) => {
            const pair = values(key);
            return pair && [mean(pair[0]), mean(pair[1])];
          },
    };
  }
  const [pa, pb] = [options.predictions?.(a) ?? null, options.predictions?.(b) ?? null];
  if (!pa || !pb) return 'the predictions of a run are not kept (recorded before predictions were)';
  const index = new Map(pb.ids.map((id, i) => [`${pb.split[i]}/${id}`, i]));
  const matched = pa.ids.map((id, i) => index.get(`${pa.split[i]}/${id}`));
  if (matched.includes(undefined) || pa.ids.length !== pb.ids.length) return 'the runs were not scored on the same recordings';
  const testCount = pa.split.filter((s) => s === 'test').length;
  return {
    comparison: {
      method: 'paired-bootstrap',
      n: testCount,
      description: `paired bootstrap over the same ${testCount} test recordings (${DEFAULT_RESAMPLES} resamples, seed 0)`,
    },
    test: (key) => {
      const [split, ...rest] = key.split('.');
      const figure = REPORT_FIGURES[rest.at(-1)!];
      const gender = rest[0] === 'byGender' ? rest[1] : null;
      if (!figure) return null;
      const rows = pa.ids.flatMap((_, i) => (pa.split[i] === split && (gender === null || pa.genders[i] === gender) ? [i] : []));
      if (rows.length === 0) return null;
      const classes = options.classes ?? 1 + Math.max(...pa.labels, ...pa.predicted, ...pb.predicted);
      const names = Array.from({ length: classes }, (_, c) => String(c));
      const d = pairedBootstrapDifference(
        rows.map((i) => pa.labels[i]),
        rows.map((i) => pa.predicted[i]),
        rows.map((i) => pb.predicted[matched[i]!]),
        classes,
        { metric: asMetric(figure, names) },
      );
      return { difference: d.value, ci95: d.ci95 };
    },
  };
}

/** Every figure of a run (its intervals' and the numbers under `val` and `test`; per-class ones with allMetrics), as points. */
function numbers(r: RunRecord, allMetrics: boolean): Record<string, number> {
  const flat = flatten(r.metrics);
  const summary = Object.keys((r.metrics as { summary?: object } | null)?.summary ?? {});
  const keys = Object.entries(flat)
    .filter(([key, v]) => typeof v === 'number' && SPLITS.includes(key.split('.')[0]) && (allMetrics || !key.split('.').includes('perClass')))
    .map(([key]) => key)
    .concat(summary.filter((k) => !(k in flat)));
  return Object.fromEntries(keys.map((k) => [k, metricOf(r, k)!]));
}

/** What changed from A to B (runs, or groups of seed repeats), with verdicts where the runs allow one. */
export function expDiff(A: RunGroup, B: RunGroup, options: DiffOptions = {}): RunDiff {
  const [a, b] = [A.runs[0], B.runs[0]];
  const params = differingParams([a, b]).map((key) => ({ key, a: flatten(a.params)[key], b: flatten(b.params)[key] }));
  const groupMean = (g: RunGroup, key: string) => {
    const xs = g.runs.map((r) => metricOf(r, key)).filter((x): x is number => x !== null);
    return xs.length ? mean(xs) : null;
  };
  const [ma, mb] = [numbers(a, options.allMetrics ?? false), numbers(b, options.allMetrics ?? false)];
  const keys = [...new Set([...KEY_METRICS, ...Object.keys(ma), ...Object.keys(mb)])].filter((k) => k in ma || k in mb);
  const paired = pairing(A, B, options);
  const withVerdict = new Set(typeof paired === 'string' ? [] : verdictKeys(a, b));
  const atol = options.atol ?? 0;
  const points = typeof paired === 'string' ? undefined : paired.points;
  const metrics = keys
    .flatMap((key): MetricDiff[] => {
      // A partial pairing shows only the figures it has per fold, as their means over the paired folds.
      const pair = points ? points(key) : [groupMean(A, key), groupMean(B, key)];
      if (!pair) return [];
      const [va, vb] = pair;
      const out: MetricDiff = { key, a: va, b: vb, delta: va === null || vb === null ? null : vb - va };
      if (typeof paired !== 'string' && withVerdict.has(key)) {
        const d = paired.test(key);
        if (d) {
          out.ci95 = d.ci95;
          out.verdict = verdict(d.difference, d.ci95, { atol, nameA: 'A', nameB: 'B' });
        }
      }
      return [out];
    })
    .filter((m) => m.verdict || m.delta === null || Math.abs(m.delta) >= atol);
  return {
    a: label(A),
    b: label(B),
    params,
    metrics,
    comparison: typeof paired === 'string' ? null : paired.comparison,
    ...(typeof paired === 'string' ? { noVerdict: paired } : {}),
    dataset: a.dataset.hash === b.dataset.hash ? null : { a: a.dataset.hash, b: b.dataset.hash },
    stages: Object.keys({ ...a.stages, ...b.stages }).filter((s) => a.stages[s]?.outputsHash !== b.stages[s]?.outputsHash),
  };
}

export function formatDiff(diff: RunDiff, format: TableFormat = 'table'): string {
  if (format === 'json') return JSON.stringify(diff, null, 2);
  if (format === 'csv')
    return [
      'kind,key,a,b,delta,ci95_low,ci95_high,verdict',
      ...diff.params.map((p) => ['param', p.key, p.a, p.b, '', '', '', ''].map(csvCell).join(',')),
      ...diff.metrics.map((m) => ['metric', m.key, m.a, m.b, m.delta, m.ci95?.[0], m.ci95?.[1], m.verdict?.sentence].map(csvCell).join(',')),
    ].join('\n');
  const parts = [
    `A = ${diff.a}\nB = ${diff.b}`,
    diff.params.length
      ? textTable(
          ['param', 'A', 'B'],
          diff.params.map((p) => [p.key, display(p.a, 'param'), display(p.b, 'param')]),
          [false, false, false],
        )
      : 'params: identical',
  ];
  if (diff.dataset) {
    const short = (h: string | null) => h?.slice(0, 12) ?? '(none)';
    parts.push(`dataset changed: ${short(diff.dataset.a)} → ${short(diff.dataset.b)}`);
  }
  if (diff.stages.length) parts.push(`stage outputs differ: ${diff.stages.join(', ')}`);
  parts.push(diff.comparison ? `verdicts: ${diff.comparison.description}` : `no verdicts: ${diff.noVerdict}`);
  const interval = (m: MetricDiff) => (m.ci95 ? `[${signed(m.ci95[0], 4)}, ${signed(m.ci95[1], 4)}]` : '');
  parts.push(
    diff.metrics.length
      ? textTable(
          ['metric', 'A', 'B', 'change', '95% CI', 'verdict'],
          diff.metrics.map((m) => [
            m.key,
            ...[m.a, m.b].map((v) => display(v, 'metric', decimals(m.key))),
            signed(m.delta, decimals(m.key)),
            interval(m),
            m.verdict?.sentence ?? '',
          ]),
          [false, true, true, true, false, false],
        )
      : 'metrics: none recorded',
  );
  return parts.join('\n\n');
}
