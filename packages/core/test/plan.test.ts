/** The tasks of a pipeline: per-fold stages expand into fold tasks and a combining task. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadPipeline } from '../src/pipeline.ts';
import { findTask, planPipeline } from '../src/plan.ts';
import { openRegistry } from '../src/registry.ts';
import { defineStage, type StageDefinition } from '../src/stage.ts';

const YAML = `stages:
  load: {}
  folds:
    deps: [load]
    params: { k: 3 }
  fit:
    deps: [load, folds]
  score:
    deps: [fit, folds]
  report:
    deps: [score]
`;

function plan(yaml: string, overrides: Record<string, unknown> = {}, extra: Partial<Record<string, Partial<StageDefinition<any>>>> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'ser-plan-'));
  writeFileSync(join(root, 'pipeline.yaml'), yaml);
  const names = ['load', 'folds', 'fit', 'score', 'report'];
  mkdirSync(join(root, 'packages/p'), { recursive: true });
  writeFileSync(
    join(root, 'packages/p/package.json'),
    JSON.stringify({ name: '@x/p', ser: { stages: Object.fromEntries(names.map((n) => [n, `./${n}.ts`])) } }),
  );
  const base: Record<string, Partial<StageDefinition<any>>> = {
    // k folds, of which the first `run` run (a screen).
    folds: {
      params: z.object({ k: z.number().int(), run: z.number().int().optional() }).strict(),
      folds: async (p: { k: number; run?: number }) => ({ partition: p.k, run: p.run ?? p.k }),
    },
    fit: { perFold: true },
    score: { perFold: true, combine: async () => {} },
  };
  const defs = Object.fromEntries(
    names.map((name) => [name, defineStage<any>({ name, params: z.object({}).strict(), outputs: {}, run: async () => {}, ...base[name], ...extra[name] })]),
  );
  const registry = openRegistry(root, async (e) => ({ stage: defs[e.name] }));
  return loadPipeline(root, registry, overrides).then((p) => planPipeline(root, p, registry));
}

describe('planPipeline', () => {
  it('runs a per-fold stage once per fold against the same fold of its per-fold deps, then combines', async () => {
    const p = await plan(YAML);
    const { folds, tasks } = p;
    expect(folds).toBe(3);
    expect(tasks.map((t) => t.id)).toEqual([
      'load',
      'folds',
      'fit.fold1',
      'fit.fold2',
      'fit.fold3',
      'score.fold1',
      'score.fold2',
      'score.fold3',
      'score',
      'report',
    ]);
    expect(findTask(p, 'score.fold2')).toEqual({
      id: 'score.fold2',
      stage: 'score',
      deps: ['fit.fold2', 'folds'],
      fold: { index: 2, count: 3 },
      folds: [],
    });
    const combine = findTask(p, 'score');
    expect(combine.folds).toEqual(['score.fold1', 'score.fold2', 'score.fold3']);
    expect(combine.deps).toEqual(['fit.fold1', 'fit.fold2', 'fit.fold3', 'folds', 'score.fold1', 'score.fold2', 'score.fold3']);
    // A stage that is not per fold reads the combination.
    expect(findTask(p, 'report').deps).toEqual(['score']);
  });

  it('a screen runs the first folds of the partition, each numbered and counted as in the full run', async () => {
    const screen = await plan(YAML, { 'folds.run': 2 });
    expect([screen.folds, screen.partition]).toEqual([2, 3]);
    expect(screen.tasks.filter((t) => t.stage === 'fit').map((t) => [t.id, t.fold])).toEqual([
      ['fit.fold1', { index: 1, count: 3 }],
      ['fit.fold2', { index: 2, count: 3 }],
    ]);
    expect(findTask(screen, 'score').folds).toEqual(['score.fold1', 'score.fold2']);
    // The stage that defines the folds can itself run per fold (as split does): each fold task reads its own.
    const own = await plan(YAML, { 'folds.run': 2 }, { folds: { perFold: true } });
    expect(findTask(own, 'fit.fold2').deps).toEqual(['load', 'folds.fold2']);
    await expect(plan(YAML, { 'folds.run': 4 })).rejects.toThrow("stage 'folds' defines 4 folds of a partition into 3");
  });

  it('with one fold, a per-fold stage is one task named as the stage', async () => {
    const p = await plan(YAML, { 'folds.k': 1 });
    const { folds, tasks } = p;
    expect(folds).toBe(1);
    expect(tasks.map((t) => [t.id, t.fold])).toEqual([
      ['load', null],
      ['folds', null],
      ['fit', { index: 1, count: 1 }],
      ['score', { index: 1, count: 1 }],
      ['report', null],
    ]);
    expect(findTask(p, 'score').deps).toEqual(['fit', 'folds']);
  });

  it('refuses a non-per-fold reader of folds nobody combines, and names the tasks of a per-fold stage', async () => {
    await expect(plan(YAML, {}, { score: { combine: undefined } })).rejects.toThrow(
      /stage 'report' reads 'score', which runs per fold \(3 folds\) without combining them/,
    );
    const p = await plan(YAML);
    expect(() => findTask(p, 'fit')).toThrow("stage 'fit' runs as fit.fold1, fit.fold2, fit.fold3");
    expect(() => findTask(p, 'nope')).toThrow(/'nope' is not a task of pipeline.yaml \(tasks: load, folds, fit.fold1/);
  });
});
