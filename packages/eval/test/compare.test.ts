import type { RunRecord } from '@ser/core';
import { augmentParams } from '@ser/augment/params';
import { melParams, trimParams } from '@ser/features/params';
import { trainParams } from '@ser/model/params';
import { splitParams } from '@ser/split/params';
import { evalParams } from '../src/params.ts';
import { describe, expect, it } from 'vitest';
import { differingParams, expDiff, expShow, expWhy, formatDiff } from '../src/compare/index.ts';

const split = (macroF1: number, accuracy: number, balancedAccuracy: number) => ({
  count: 120,
  accuracy,
  balancedAccuracy,
  macroF1,
  weightedF1: macroF1,
  perClass: { angry: { precision: 0.5, recall: accuracy, f1: macroF1, support: 15 } },
  byGender: { male: { count: 60, accuracy, macroF1: macroF1 - 0.01 } },
  confusionMatrix: [[1]],
});

/** A record with the resolved default params of every stage and `learningRate` for train. */
function record(id: string, createdAt: string, learningRate: number, testF1: number, valF1: number): RunRecord {
  const schemas = { ingest: null, trim: trimParams, mel: melParams, augment: augmentParams, split: splitParams, train: trainParams, eval: evalParams };
  const params = Object.fromEntries(Object.entries(schemas).map(([s, schema]) => [s, schema?.parse({}) ?? {}])) as Record<string, any>;
  params.train.learningRate = learningRate;
  const stage = (ran: boolean, reasons: string[]) => ({ outputsHash: `${id}-${ran}`.padEnd(64, '0'), codeHash: 'c'.repeat(64), ran, reasons, wallMs: 1500 });
  return {
    id,
    createdAt,
    gitCommit: 'abcdef0123456789',
    backend: 'wasm',
    params,
    overrides: { 'train.learningRate': learningRate },
    dataset: { path: 'data/raw/ravdess', hash: 'd'.repeat(64) },
    stages: {
      ingest: { ...stage(false, []), outputsHash: 'i'.repeat(64) },
      train: stage(true, ['params changed: learningRate 0.001 → 0.0005']),
      eval: stage(true, ['upstream train outputs changed']),
    },
    metrics: { protocol: { groupBy: 'recording', seed: 42 }, val: split(valF1, 0.6, 0.58), test: split(testF1, 0.55, 0.5) },
    kept: {},
  };
}

/** A run as a group of one (what `exp diff --no-group` compares). */
const single = (r: RunRecord) => ({ runs: [r], seeds: {} });

const a = record('run-a', '2026-11-27T07:00:00.000Z', 0.001, 0.5, 0.6);
const b = record('run-b', '2026-11-27T08:00:00.000Z', 0.0005, 0.62, 0.58);

describe('differingParams', () => {
  it('finds only train.learningRate differing; all params in stage order with allParams', () => {
    expect(differingParams([a, b])).toEqual(['train.learningRate']);
    const all = differingParams([a, b], true);
    expect(all.length).toBeGreaterThan(30);
    expect(all.indexOf('trim.sampleRate')).toBeLessThan(all.indexOf('train.learningRate'));
    expect(all).toContain('augment.noise.snrDb');
  });
});

describe('expShow', () => {
  it('lists both runs with train.learningRate as the only param column, plus the key metrics', () => {
    const lines = expShow([b, a]).split('\n');
    const header = lines[0].split(/\s{2,}/);
    expect(header).toEqual(['id', 'created', 'train.learningRate', 'test.macroF1', 'test.accuracy', 'test.balancedAccuracy', 'val.macroF1']);
    expect(lines).toHaveLength(4); // header, rule, two runs (oldest first)
    expect(lines[2].split(/\s{2,}/)).toEqual(['run-a', '2026-11-27 07:00', '0.001', '0.5000', '0.5500', '0.5000', '0.6000']);
    expect(lines[3].split(/\s{2,}/)).toEqual(['run-b', '2026-11-27 08:00', '0.0005', '0.6200', '0.5500', '0.5000', '0.5800']);
  });

  it('sorts by a metric, descending by default, or ascending on request', () => {
    const ids = (s: string) => JSON.parse(s).map((r: { id: string }) => r.id);
    expect(ids(expShow([a, b], { sortBy: 'test.macroF1', format: 'json' }))).toEqual(['run-b', 'run-a']);
    expect(ids(expShow([a, b], { sortBy: 'val.macroF1', format: 'json' }))).toEqual(['run-a', 'run-b']);
    expect(ids(expShow([a, b], { sortBy: 'test.macroF1', ascending: true, format: 'json' }))).toEqual(['run-a', 'run-b']);
    expect(ids(expShow([a, b], { sortBy: 'train.epochs', format: 'json' }))).toEqual(['run-a', 'run-b']);
    expect(() => expShow([a, b], { sortBy: 'test.nope' })).toThrow(/cannot sort by 'test.nope': not a param or a metric of any run/);
  });

  it('adds metric columns on request, and the metric it sorts by', () => {
    const header = (s: string) => s.split('\n')[0].split(/\s{2,}/);
    expect(header(expShow([a, b], { metrics: ['test.weightedF1'] })).at(-1)).toBe('test.weightedF1');
    const sorted = expShow([a, b], { sortBy: 'val.byGender.male.macroF1' });
    expect(header(sorted).at(-1)).toBe('val.byGender.male.macroF1');
    // male val macro-F1 = val macro-F1 - 0.01: run-a 0.59 > run-b 0.57, descending
    expect(sorted.split('\n')[2]).toMatch(/^run-a .* 0\.5900$/);
    expect(sorted.split('\n')[3]).toMatch(/^run-b .* 0\.5700$/);
  });

  it('--all-params shows every param', () => {
    const header = expShow([a, b], { allParams: true }).split('\n')[0];
    expect(header).toContain('train.epochs');
    expect(header).toContain('mel.nMels');
    expect(header).toContain('split.ratios.train');
  });

  it('exports CSV and JSON with raw values', () => {
    const csv = expShow([a, b], { format: 'csv' }).split('\n');
    expect(csv[0]).toBe('id,created,train.learningRate,test.macroF1,test.accuracy,test.balancedAccuracy,val.macroF1');
    expect(csv[2]).toBe('run-b,2026-11-27T08:00:00.000Z,0.0005,0.62,0.55,0.5,0.58');
    const csvAll = expShow([a, b], { format: 'csv', allParams: true });
    expect(csvAll).toContain('"[32,64,128]"'); // train.filters, quoted because of the commas
    const json = JSON.parse(expShow([a, b], { format: 'json' }));
    expect(json[1]).toEqual({
      id: 'run-b',
      created: '2026-11-27T08:00:00.000Z',
      'train.learningRate': 0.0005,
      'test.macroF1': 0.62,
      'test.accuracy': 0.55,
      'test.balancedAccuracy': 0.5,
      'val.macroF1': 0.58,
    });
  });

  it('shows a run without metrics with dashes', () => {
    const failed = { ...record('run-c', '2026-11-27T09:00:00.000Z', 0.01, 0, 0), metrics: null };
    const last = expShow([a, b, failed])
      .split('\n')[4]
      .split(/\s{2,}/);
    expect(last).toEqual(['run-c', '2026-11-27 09:00', '0.01', '-', '-', '-', '-']);
  });
});

describe('expDiff', () => {
  it('gives the changed param and the metric deltas (b − a)', () => {
    const d = expDiff(single(a), single(b));
    expect(d.params).toEqual([{ key: 'train.learningRate', a: 0.001, b: 0.0005 }]);
    const m = Object.fromEntries(d.metrics.map((x) => [x.key, x]));
    expect(m['test.macroF1'].delta).toBeCloseTo(0.12, 12);
    expect(m['val.macroF1'].delta).toBeCloseTo(-0.02, 12);
    expect(m['test.byGender.male.macroF1'].delta).toBeCloseTo(0.12, 12);
    expect(m['test.accuracy'].delta).toBe(0);
    expect(d.metrics.slice(0, 4).map((x) => x.key)).toEqual(['test.macroF1', 'test.accuracy', 'test.balancedAccuracy', 'val.macroF1']);
    expect(Object.keys(m).some((k) => k.includes('perClass') || k.startsWith('protocol'))).toBe(false);
    expect(expDiff(single(a), single(b), { allMetrics: true }).metrics.map((x) => x.key)).toContain('test.perClass.angry.f1');
    expect(d.dataset).toBeNull();
    expect(d.stages).toEqual(['train', 'eval']);
  });

  it('formats as a table, CSV and JSON', () => {
    const text = formatDiff(expDiff(single(a), single(b)));
    expect(text).toMatch(/train\.learningRate\s+0\.001\s+0\.0005/);
    expect(text).toContain('no verdicts: the predictions of a run are not kept');
    expect(text).toMatch(/test\.macroF1\s+0\.5000\s+0\.6200\s+\+0\.1200/);
    expect(text).toMatch(/val\.macroF1\s+0\.6000\s+0\.5800\s+-0\.0200/);
    expect(text).toContain('stage outputs differ: train, eval');
    expect(text).toMatch(/test\.count\s+120\s+120\s+\+0\n/); // counts without decimals
    expect(formatDiff(expDiff(single(a), single(b)), 'csv').split('\n')[1]).toBe('param,train.learningRate,0.001,0.0005,,,,');
    expect(JSON.parse(formatDiff(expDiff(single(a), single(b)), 'json')).params[0].key).toBe('train.learningRate');
  });
});

describe('expWhy', () => {
  it('says which stages ran and why, in pipeline order', () => {
    const lines = expWhy(b).split('\n');
    expect(lines[0]).toBe('run-b (2026-11-27 08:00, commit abcdef01)');
    expect(lines[1]).toBe('  overrides: train.learningRate=0.0005');
    expect(lines[2]).toMatch(/^ {2}ingest\s+up to date \(outputs iiiiiiiiiiii\)$/);
    expect(lines[3]).toMatch(/^ {2}train\s+ran in 1\.5 s: params changed: learningRate 0\.001 → 0\.0005$/);
    expect(lines[4]).toMatch(/^ {2}eval\s+ran in 1\.5 s: upstream train outputs changed$/);
  });
});
