/**
 * exp show with intervals and seed groups, exp diff with verdicts. Reference intervals were
 * computed independently with SciPy 1.17.1 (`scipy.stats.ttest_rel(b, a).confidence_interval()`,
 * `ttest_ind(b, a, equal_var=False)`, `t.interval(0.95, n-1, mean, std/sqrt(n))`); tolerance 1e-12.
 */
import type { RunPredictions, RunRecord } from '@ser/core';
import { describe, expect, it } from 'vitest';
import { expDiff, expShow, formatDiff, groupRuns } from '../src/compare/index.ts';
import { foldFigures } from '../src/intervals.ts';
import { splitMetrics, type FoldMetrics } from '../src/metrics.ts';

const CLASSES = ['a', 'b'];
const scores = (macroF1: number) => ({ ...splitMetrics([0, 1], [0, 1], CLASSES, ['male', 'female'], ['01', '02']), macroF1 });

/** A run record with the given params overrides and metrics. */
function run(id: string, params: Record<string, Record<string, unknown>>, metrics: Record<string, unknown>, minute = 0): RunRecord {
  return {
    id,
    createdAt: `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
    gitCommit: null,
    backend: 'wasm',
    params: { split: { seed: 42, protocol: 'actor-kfold' }, train: { learningRate: 0.001, seed: 1 }, ...params },
    overrides: {},
    dataset: { path: 'x', hash: 'd'.repeat(64) },
    stages: { train: { outputsHash: id.padEnd(64, '0'), codeHash: 'c'.repeat(64), ran: true, reasons: [], wallMs: 1 } },
    metrics,
    kept: {},
  };
}

/** Cross-validation metrics with these per-fold test macro-F1 values (folds test speakers s1..sK). */
function cv(values: number[], speakers = values.map((_, k) => [`s${k + 1}`])): Record<string, unknown> {
  const folds: FoldMetrics[] = values.map((v, k) => ({ fold: k + 1, actors: { train: [], val: [], test: speakers[k] }, val: null, test: scores(v) }));
  return { folds, summary: foldFigures(folds), test: null, val: null };
}

const A = [0.55, 0.6, 0.52, 0.58, 0.57];

describe('exp diff verdicts', () => {
  it('cross-validation on the same folds: paired t over folds; a real difference is called, noise is not', () => {
    const base = run('base', {}, cv(A));
    const better = run('better', { train: { learningRate: 0.0005, seed: 1 } }, cv(A.map((x, k) => x + [0.05, 0.06, 0.04, 0.05, 0.05][k])));
    const same = run('same', { train: { learningRate: 0.0005, seed: 1 } }, cv(A.map((x, k) => x + [0.02, -0.03, 0.01, -0.01, 0][k])));
    const up = expDiff({ runs: [base], seeds: {} }, { runs: [better], seeds: {} });
    expect(up.comparison).toMatchObject({ method: 'paired-folds', n: 5 });
    const f1 = up.metrics.find((m) => m.key === 'test.macroF1')!;
    expect(f1.delta).toBeCloseTo(0.05, 12);
    expect(f1.ci95![0]).toBeCloseTo(0.041220109669149234, 12);
    expect(f1.ci95![1]).toBeCloseTo(0.05877989033085081, 12);
    expect(f1.verdict).toMatchObject({ direction: 'higher', sentence: 'B higher by 0.050 [0.041, 0.059]' });
    const flat = expDiff({ runs: [base], seeds: {} }, { runs: [same], seeds: {} }).metrics.find((m) => m.key === 'test.macroF1')!;
    expect(flat.ci95![0]).toBeCloseTo(-0.025883883880999825, 12);
    expect(flat.ci95![1]).toBeCloseTo(0.02188388388099982, 12);
    expect(flat.verdict!.direction).toBe('none');
    expect(flat.verdict!.sentence).toMatch(/^no difference detectable \(interval \[-0\.026, 0\.022\] covers 0\)$/);
    expect(formatDiff(up)).toMatch(/verdicts: paired over 5 folds \(the same test speakers in each\): Student-t/);
    expect(formatDiff(up)).toMatch(/test\.macroF1\s+0\.5640\s+0\.6140\s+\+0\.0500\s+\[\+0\.0412, \+0\.0588\]\s+B higher by 0\.050/);
  });

  it('refuses a paired verdict across different folds, and says why', () => {
    const d = expDiff(
      { runs: [run('x', {}, cv(A))], seeds: {} },
      {
        runs: [
          run(
            'y',
            {},
            cv(
              A,
              A.map((_, k) => [`other${k}`]),
            ),
          ),
        ],
        seeds: {},
      },
    );
    expect(d.comparison).toBeNull();
    expect(d.noVerdict).toBe('the runs were not scored on the same folds (the same test speakers per fold)');
    expect(d.metrics.every((m) => !m.verdict)).toBe(true);
  });

  it('pairs a screen (the first folds of the partition) with a full run over the folds both scored', () => {
    const full = run('full', {}, cv(A));
    const screen = run('screen', { split: { seed: 42, protocol: 'actor-kfold', screenFolds: 2 } }, cv([A[0] + 0.05, A[1] + 0.07]));
    const d = expDiff({ runs: [full], seeds: {} }, { runs: [screen], seeds: {} });
    expect(d.comparison).toMatchObject({ method: 'paired-folds', n: 2 });
    expect(d.comparison!.description).toMatch(/^paired over the 2 folds both runs scored \(A 5, B 2;/);
    const f1 = d.metrics.find((m) => m.key === 'test.macroF1')!;
    // A's figure is its mean over the paired folds (0.575), not over its 5 (0.564).
    expect(f1.a).toBeCloseTo(0.575, 12);
    expect(f1.b).toBeCloseTo(0.635, 12);
    expect(f1.ci95![0]).toBeCloseTo(-0.06706204736174634, 12);
    expect(f1.ci95![1]).toBeCloseTo(0.18706204736174634, 12);
    expect(f1.verdict!.direction).toBe('none');
    const elsewhere = run('elsewhere', {}, cv([0.6, 0.6], [['s4'], ['s9']]));
    expect(expDiff({ runs: [full], seeds: {} }, { runs: [elsewhere], seeds: {} }).noVerdict).toBe(
      'the runs were not scored on the same folds (the same test speakers per fold)',
    );
  });

  it('two holdout runs on the same recordings: paired bootstrap; identical predictions give [0, 0]', () => {
    const n = 120;
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
    const worse = Int32Array.from(labels, (y, i) => (i % 3 === 0 ? 1 - y : y)); // a third wrong
    const better = Int32Array.from(labels, (y, i) => (i % 12 === 0 ? 1 - y : y)); // a twelfth wrong
    const holdout = (pred: Int32Array) => ({ test: splitMetrics(labels, pred, CLASSES, Array(n).fill(''), Array(n).fill('')), summary: {} });
    const runs = { p: run('p', {}, holdout(worse)), q: run('q', {}, holdout(better)), r: run('r', {}, holdout(worse), 1) };
    const predictions = (r: RunRecord): RunPredictions => ({
      ids: Array.from({ length: n }, (_, i) => `rec${i}`),
      split: Array.from({ length: n }, () => 'test'),
      labels,
      predicted: r.id === 'q' ? better : worse,
      genders: Array.from({ length: n }, (_, i) => (i < 60 ? 'male' : 'female')),
    });
    const d = expDiff({ runs: [runs.p], seeds: {} }, { runs: [runs.q], seeds: {} }, { predictions, classes: 2 });
    expect(d.comparison).toMatchObject({ method: 'paired-bootstrap', n: 120 });
    const f1 = d.metrics.find((m) => m.key === 'test.macroF1')!;
    expect(f1.verdict!.direction).toBe('higher');
    expect(f1.ci95![0]).toBeGreaterThan(0);
    const tie = expDiff({ runs: [runs.p], seeds: {} }, { runs: [runs.r], seeds: {} }, { predictions, classes: 2 }).metrics.find(
      (m) => m.key === 'test.macroF1',
    )!;
    expect(tie.ci95).toEqual([0, 0]);
    expect(tie.verdict!.direction).toBe('none');
  });

  it('seed repeats: paired over the same seeds, Welch over different ones', () => {
    const holdout = (f1: number) => ({ test: scores(f1), summary: {} });
    const xs = [0.7, 0.72, 0.71];
    const ys = [0.74, 0.73, 0.76];
    const side = (lr: number, values: number[], seeds: number[]) =>
      values.map((v, k) => run(`lr${lr}-s${seeds[k]}`, { train: { learningRate: lr, seed: seeds[k] } }, holdout(v), k));
    const groups = groupRuns([...side(1e-3, xs, [1, 2, 3]), ...side(5e-4, ys, [1, 2, 3])]);
    expect(groups.map((g) => g.runs.length)).toEqual([3, 3]);
    const paired = expDiff(groups[0], groups[1]);
    expect(paired.comparison).toMatchObject({ method: 'paired-seeds', n: 3 });
    const p = paired.metrics.find((m) => m.key === 'test.macroF1')!;
    expect(p.ci95![0]).toBeCloseTo(-0.01837811679208931, 12);
    expect(p.ci95![1]).toBeCloseTo(0.08504478345875603, 12);
    const [g1, g2] = groupRuns([...side(1e-3, xs, [1, 2, 3]), ...side(5e-4, ys, [4, 5, 6])]);
    const welch = expDiff(g1, g2);
    expect(welch.comparison?.method).toBe('welch');
    const w = welch.metrics.find((m) => m.key === 'test.macroF1')!;
    expect(w.ci95![0]).toBeCloseTo(0.0021244938143773415, 12);
    expect(w.ci95![1]).toBeCloseTo(0.0645421728522893, 12);
    expect(w.verdict!.direction).toBe('higher');
  });

  it('--atol hides small deltas and calls them within tolerance', () => {
    const base = run('base', {}, cv(A));
    const tiny = run('tiny', {}, cv(A.map((x) => x + 0.004)));
    const d = expDiff({ runs: [base], seeds: {} }, { runs: [tiny], seeds: {} }, { atol: 0.01 });
    const f1 = d.metrics.find((m) => m.key === 'test.macroF1')!;
    expect(f1.verdict).toMatchObject({ direction: 'none', withinTolerance: true });
    expect(d.metrics.filter((m) => !m.verdict && m.delta !== null && Math.abs(m.delta) < 0.01)).toEqual([]);
  });
});

describe('exp show with intervals and seed groups', () => {
  const holdout = (f1: number, ci: [number, number]) => ({
    test: scores(f1),
    summary: { 'test.macroF1': { method: 'bootstrap', value: f1, ci95: ci, n: 120, resamples: 2000, seed: 0 } },
  });
  const seeds = [0.7, 0.72, 0.71].map((v, k) => run(`s${k + 1}`, { train: { learningRate: 0.001, seed: k + 1 } }, holdout(v, [v - 0.08, v + 0.07]), k));
  const other = run('lr5e-4', { train: { learningRate: 0.0005, seed: 1 } }, holdout(0.74, [0.66, 0.81]), 9);

  it('groups runs that differ only in seeds: mean ± std with a t-interval over seeds, and n', () => {
    const rows = JSON.parse(expShow([...seeds, other], { format: 'json' }));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: 's1', runs: 3, 'train.seed': [1, 2, 3], 'train.learningRate': 0.001, 'test.macroF1.n': 3 });
    expect(rows[0]['test.macroF1']).toBeCloseTo(0.71, 12);
    expect(rows[0]['test.macroF1.std']).toBeCloseTo(0.01, 12);
    expect(rows[0]['test.macroF1.ci95'][0]).toBeCloseTo(0.6851586228824966, 12);
    expect(rows[0]['test.macroF1.ci95'][1]).toBeCloseTo(0.7348413771175033, 12);
    expect(rows[1]).toMatchObject({ id: 'lr5e-4', runs: 1, 'test.macroF1': 0.74, 'test.macroF1.ci95': [0.66, 0.81] });
    const table = expShow([...seeds, other]);
    expect(table).toMatch(/s1\s.*0\.7100 ± 0\.0100 \[0\.6852, 0\.7348\] \(n=3\)/);
    expect(table).toMatch(/lr5e-4\s.*0\.7400 \[0\.6600, 0\.8100\]/);
  });

  it('--no-group shows every run, each with its own interval; CSV has the interval columns', () => {
    expect(JSON.parse(expShow([...seeds, other], { format: 'json', group: false }))).toHaveLength(4);
    const [header, first] = expShow([...seeds, other], { format: 'csv' }).split('\n');
    expect(header).toContain('test.macroF1,test.macroF1.ci95,test.macroF1.std,test.macroF1.n');
    expect(first).toMatch(/^s1,/);
  });

  it('does not group runs whose code differs', () => {
    const changed = { ...seeds[1], stages: { train: { ...seeds[1].stages.train, codeHash: 'e'.repeat(64) } } };
    expect(groupRuns([seeds[0], changed, seeds[2]]).map((g) => g.runs.map((r) => r.id))).toEqual([['s1', 's3'], ['s2']]);
  });
});
