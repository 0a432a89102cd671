/** compare.ts's interval reading and fold-paired verdicts, on records shaped as the experiments protocol writes metrics.json. */
import type { RunRecord } from '@ser/core';
import { describe, expect, it } from 'vitest';
import { foldVerdicts, metricInterval } from '../src/compare.ts';
import { pairedTInterval } from '../src/stats/index.ts';

const record = (id: string, metrics: Record<string, unknown> | null): RunRecord => ({
  id,
  createdAt: '2026-01-01T00:00:00.000Z',
  gitCommit: null,
  backend: 'wasm',
  params: {},
  overrides: {},
  dataset: { path: 'data/raw/ravdess', hash: null },
  stages: {},
  metrics,
});

/** Five folds of actors with test and val macro-F1. */
const folds = (testF1: number[], actors = [['01', '02'], ['03', '04'], ['05', '06'], ['07', '08'], ['09', '10']]) =>
  testF1.map((f1, i) => ({ actors: actors[i], test: { macroF1: f1 }, val: { macroF1: f1 - 0.02 } }));

describe('metricInterval', () => {
  it('reads summary.<metric>.ci95 keyed by the flat metric path or nested, else null', () => {
    expect(metricInterval(record('a', { summary: { 'test.macroF1': { mean: 0.6, std: 0.02, n: 5, ci95: [0.57, 0.63] } } }), 'test.macroF1')).toEqual([0.57, 0.63]);
    expect(metricInterval(record('b', { summary: { test: { macroF1: { value: 0.6, ci95: [0.52, 0.68] } } } }), 'test.macroF1')).toEqual([0.52, 0.68]);
    expect(metricInterval(record('c', { summary: { 'test.macroF1': { mean: 0.6, n: 1, ci95: null } } }), 'test.macroF1')).toBeNull();
    expect(metricInterval(record('d', { test: { macroF1: 0.6 } }), 'test.macroF1')).toBeNull();
    expect(metricInterval(record('e', null), 'test.macroF1')).toBeNull();
  });
});

describe('foldVerdicts', () => {
  const base = [0.5, 0.52, 0.48, 0.51, 0.49];

  it('a consistent gain on every fold: B higher, with the paired t-interval of the per-fold differences', () => {
    const better = base.map((x, i) => x + 0.05 + [0.004, -0.003, 0.002, -0.001, 0.0][i]);
    const [test, val] = foldVerdicts(record('A', { folds: folds(base) }), record('B', { folds: folds(better) }), ['test.macroF1', 'val.macroF1']);
    const expected = pairedTInterval(base, better);
    expect(test.key).toBe('test.macroF1');
    expect(test.difference).toBeCloseTo(expected.mean, 12);
    expect(test.ci95).toEqual(expected.ci95);
    expect(test.verdict.direction).toBe('higher');
    expect(test.verdict.sentence).toMatch(/^B higher by 0\.050 \[/);
    expect(val.verdict.direction).toBe('higher');
  });

  it('differences of both signs: no difference detectable', () => {
    const noisy = base.map((x, i) => x + [0.02, -0.03, 0.01, -0.02, 0.015][i]);
    const [test] = foldVerdicts(record('A', { folds: folds(base) }), record('B', { folds: folds(noisy) }), ['test.macroF1']);
    expect(test.verdict.direction).toBe('none');
    expect(test.verdict.sentence).toMatch(/covers 0/);
  });

  it('no verdict without shared folds: holdout runs, other actors per fold, other fold counts', () => {
    const holdout = record('H', { test: { macroF1: 0.6 } });
    expect(foldVerdicts(holdout, record('B', { folds: folds(base) }))).toEqual([]);
    const shuffled = folds(base, [['02', '01'], ['03', '04'], ['05', '06'], ['07', '08'], ['09', '10']]);
    expect(foldVerdicts(record('A', { folds: folds(base) }), record('B', { folds: shuffled }))).toEqual([]);
    expect(foldVerdicts(record('A', { folds: folds(base) }), record('B', { folds: folds(base.slice(0, 4)) }))).toEqual([]);
  });
});
