/** The API's JSON on synthetic records: exp show's rows and columns, param filters, intervals where metrics.json has them, comparisons. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRecord } from '@ser/core';
import { expShow } from '@ser/eval';
import { describe, expect, it } from 'vitest';
import { comparison, runDetail, runsTable } from '../src/runs-api.ts';

const record = (id: string, learningRate: number, testF1: number, summary?: object): RunRecord => ({
  id,
  createdAt: `2026-01-0${id.slice(-1)}T00:00:00.000Z`,
  gitCommit: null,
  backend: 'wasm',
  params: { train: { learningRate, seed: 42 } },
  overrides: {},
  dataset: { path: 'data/raw/ravdess', hash: 'd'.repeat(64) },
  stages: { train: { outputsHash: id.padEnd(64, '0'), codeHash: 'c'.repeat(64), ran: true, reasons: [], wallMs: 1 } },
  metrics: { test: { macroF1: testF1, accuracy: testF1 }, val: { macroF1: testF1 - 0.1 }, ...(summary ? { summary } : {}) },
  kept: {},
});

const records = [
  record('run-1', 0.001, 0.5, { 'test.macroF1': { method: 'bootstrap', value: 0.5, ci95: [0.41, 0.59], n: 120, resamples: 2000, seed: 0 } }),
  record('run-2', 0.002, 0.6),
  record('run-3', 0.002, 0.55),
];

describe('runsTable', () => {
  it('has the rows and columns of ser exp show, the differing param marked as a param', () => {
    const t = runsTable(records, { sortBy: 'test.macroF1', group: false });
    expect(t.rows).toEqual(JSON.parse(expShow(records, { sortBy: 'test.macroF1', group: false, format: 'json' })));
    expect(t.rows.map((r) => r.id)).toEqual(['run-2', 'run-3', 'run-1']);
    expect(t.columns.filter((c) => c.kind === 'param').map((c) => c.name)).toEqual(['train.learningRate']);
    expect(t.columns.find((c) => c.name === 'test.macroF1')!.kind).toBe('metric');
    expect(t.filters).toEqual([{ key: 'train.learningRate', values: [0.001, 0.002] }]);
  });

  it('filters by a param value, and gives intervals only where a record has them', () => {
    const t = runsTable(records, { filter: { key: 'train.learningRate', value: 0.002 }, group: false });
    expect(t.rows.map((r) => r.id)).toEqual(['run-2', 'run-3']);
    expect(t.total).toBe(3);
    expect(runsTable(records, { group: false }).intervals).toEqual({ 'run-1': { 'test.macroF1': [0.41, 0.59] }, 'run-2': {}, 'run-3': {} });
  });

  it('groups repeats of one configuration as exp show does: one row, its runs, a t-interval over them', () => {
    const t = runsTable(records);
    expect(t.rows.map((r) => [r.id, r.runs])).toEqual([
      ['run-1', 1],
      ['run-2', 2],
    ]);
    expect(t.columns.find((c) => c.name === 'runs')!.kind).toBe('param');
    expect(t.columns.some((c) => c.name.endsWith('.ci95'))).toBe(false);
    expect(t.intervals['run-2']['test.macroF1']).toHaveLength(2);
  });

  it('an unknown sort column is an error naming the columns', () => {
    expect(() => runsTable(records, { sortBy: 'nope' })).toThrow(/cannot sort by 'nope'/);
  });
});

describe('runDetail and comparison', () => {
  const runs = mkdtempSync(join(tmpdir(), 'ser-ui-api-'));
  mkdirSync(join(runs, 'run-1/train'), { recursive: true });
  writeFileSync(join(runs, 'run-1/train/history.json'), JSON.stringify({ epochs: [], bestEpoch: 1 }));

  it('a run: its history.json when it has one, flattened params, intervals', () => {
    const d = runDetail(runs, records[0]);
    expect(d.histories).toEqual([{ task: 'train', history: { epochs: [], bestEpoch: 1 } }]);
    expect(d.params).toEqual([
      ['train.learningRate', 0.001],
      ['train.seed', 42],
    ]);
    expect(d.intervals).toEqual({ 'test.macroF1': [0.41, 0.59] });
    expect(runDetail(runs, records[1]).histories).toEqual([]);
    // A cross-validation run: one history per kept fold model, in fold order.
    for (const k of [1, 2]) {
      mkdirSync(join(runs, `run-3/train.fold${k}`), { recursive: true });
      writeFileSync(join(runs, `run-3/train.fold${k}/history.json`), JSON.stringify({ epochs: [], bestEpoch: k }));
    }
    const cv = { ...records[2], kept: { 'train.fold1': {}, 'train.fold2': {}, eval: {} } };
    expect(runDetail(runs, cv).histories.map((h) => h.task)).toEqual(['train.fold1', 'train.fold2']);
  });

  it('runs compared: differing params per run, exp diff from the first run, no verdict without folds', () => {
    const c = comparison(runs, records);
    expect(c.params).toEqual([{ key: 'train.learningRate', values: [0.001, 0.002, 0.002] }]);
    expect(c.diffs.map((d) => d.metrics.find((m) => m.key === 'test.macroF1')!.delta)).toEqual([0.6 - 0.5, 0.55 - 0.5]);
    expect(c.verdicts).toEqual([[], []]);
    expect(c.intervals[0]).toEqual({ 'test.macroF1': [0.41, 0.59] });
    // Every fold's history of a cross-validation run (run-3's, written above), for one line per fold.
    const cv = { ...records[2], kept: { 'train.fold1': {}, 'train.fold2': {}, eval: {} } };
    expect(comparison(runs, [records[0], cv]).histories.map((h) => h.map((x) => x.task))).toEqual([['train'], ['train.fold1', 'train.fold2']]);
  });
});
