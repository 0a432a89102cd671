/**
 * Experiments end to end on real audio (RAVDESS actors 01–04, one epoch, no augmented training
 * tensors): 2-fold actor cross-validation as cached fold tasks, intervals in metrics.json and the
 * report, a verdict from `exp diff`, and a two-seed sweep through the queue that survives an interrupt.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openReport } from '../../eval/test/report-browser.ts';
import { CHANGED_RATE, copyWorkspace, quickPipeline, restoreActors, type Workspace } from './workspace.ts';

const CV = ['split.protocol=actor-kfold', 'split.folds=2', 'split.valActors=1'];
let ws: Workspace;
let browser: Browser;

function run(...set: string[]): string[] {
  const before = ws.executions().length;
  const { code, output } = ws.ser(['run', ...set.flatMap((s) => ['--set', s])]);
  if (code !== 0) throw new Error(`ser run ${set.join(' ')} failed (${code}):\n${output.slice(-4000)}`);
  return ws
    .executions()
    .slice(before)
    .map((e) => e.stage)
    .sort();
}

const runs = () => JSON.parse(ws.ser(['exp', 'show', '--json', '--no-group']).output) as Record<string, unknown>[];

beforeAll(async () => {
  const ravdess = restoreActors(['01', '02', '03', '04']);
  ws = copyWorkspace((yaml) =>
    quickPipeline(yaml, ravdess).replace(
      '      noise: { count: 1, snrDb: [15, 30] }\n      pitchShift: { count: 1, semitones: [-3, 3] }\n      timeStretch: { count: 1, rate: [0.8, 1.25] }',
      '      noise: { count: 1, snrDb: [15, 30] }\n      pitchShift: { count: 0, semitones: [-3, 3] }\n      timeStretch: { count: 0, rate: [0.8, 1.25] }',
    ),
  );
  expect(readFileSync(join(ws.root, 'pipeline.yaml'), 'utf8')).toMatch(/pitchShift: \{ count: 0/);
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

describe('speaker-independent cross-validation', () => {
  // A whole 2-fold pipeline from raw audio: near the default test timeout on a busy 2-core machine.
  it('runs each fold as its own cached task, then the combination', () => {
    expect(run(...CV)).toEqual([
      'augment',
      'eval',
      'eval.fold1',
      'eval.fold2',
      'ingest',
      'mel',
      'split.fold1',
      'split.fold2',
      'train.fold1',
      'train.fold2',
      'trim',
    ]);
    for (const fold of [1, 2]) expect(ws.readJson(`data/train.fold${fold}/manifest.json`).fold).toEqual({ index: fold, count: 2 });
    expect(run(...CV)).toEqual([]);
  }, 300_000);

  it('metrics.json has the folds, their actors, and a Student-t interval beside each figure', () => {
    const m = ws.readJson('data/eval/metrics.json');
    expect(m.protocol).toMatchObject({ name: 'actor-kfold', folds: 2, speakersSharedWithTrain: { val: 0, test: 0 } });
    expect(m.folds.map((f: { actors: { test: string[] } }) => f.actors.test.length)).toEqual([2, 2]);
    expect(m.folds.flatMap((f: { actors: { test: string[] } }) => f.actors.test).sort()).toEqual(['01', '02', '03', '04']);
    const f1 = m.summary['test.macroF1'];
    expect(f1).toMatchObject({ method: 't', n: 2 });
    expect(f1.ci95[0]).toBeLessThanOrEqual(f1.mean);
    expect(f1.ci95[1]).toBeGreaterThanOrEqual(f1.mean);
    expect(m.summary['test.byGender.male.macroF1'].n).toBe(2);
    expect(m.test.count).toBe(240); // every recording tested once, pooled
  });

  it('the report shows the per-fold table and the intervals, every figure drawn', async () => {
    const report = join(ws.root, 'data/eval', ws.readJson('data/eval/manifest.json').outputs.report.file);
    const { figures, text, external, errors } = await openReport(browser, report);
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
    expect(text).toContain('2-fold actor cross-validation');
    expect(text).toMatch(/Per fold/);
    expect(text).toMatch(/test\.macroF1\s+\d\.\d{3}\s+\d\.\d{3}\s+\[-?\d\.\d{3}, \d\.\d{3}\]\s+2/);
    expect(figures.map((f) => f.alt)).toEqual([
      'Confusion matrix, test, all folds (counts)',
      'Confusion matrix, test, all folds (normalised)',
      'Learning curves, fold 1',
      'Learning curves, fold 2',
    ]);
    for (const f of figures) expect(f.inked, f.alt).toBeGreaterThan(0.02);
  });

  it('a train.learningRate change reruns both folds’ train and eval and nothing upstream; exp diff gives a verdict', () => {
    expect(run(...CV, `train.learningRate=${CHANGED_RATE}`)).toEqual(['eval', 'eval.fold1', 'eval.fold2', 'train.fold1', 'train.fold2']);
    const [a, b] = runs().map((r) => String(r.id));
    const diff = ws.ser(['exp', 'diff', a, b]);
    expect(diff.code, diff.output).toBe(0);
    expect(diff.output).toContain('verdicts: paired over 2 folds (the same test speakers in each): Student-t');
    expect(diff.output).toMatch(
      /test\.macroF1\s+\d\.\d{4}\s+\d\.\d{4}\s+[+-]\d\.\d{4}\s+\[[+-]\d\.\d{4}, [+-]\d\.\d{4}\]\s+(B higher by|B lower by|no difference detectable)/,
    );
  });

  it('ser predict with a cross-validation run averages its fold models', () => {
    const clip = join(ws.readJson('data/ingest/manifest.json').summary.datasetPath, 'Actor_01/03-01-05-01-01-01-01.wav');
    const { code, output } = ws.ser(['predict', clip, '--json']);
    expect(code, output).toBe(0);
    expect(output).toContain("the mean of its 2 fold models' probabilities");
    expect(JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1)).models).toBe(2);
  });

  it("confirming a screen trains only the folds the screen did not run (a screen's folds are the full run's)", () => {
    const three = ['split.protocol=actor-kfold', 'split.folds=3', 'split.valActors=1'];
    expect(run(...three, 'split.screenFolds=2')).toEqual(['eval', 'eval.fold1', 'eval.fold2', 'split.fold1', 'split.fold2', 'train.fold1', 'train.fold2']);
    const screened = ws.readJson('data/split.fold1/manifest.json').outputsHash;
    // The split's params changed (screenFolds), so its fold tasks run again and write the same bytes.
    expect(run(...three)).toEqual(['eval', 'eval.fold3', 'split.fold1', 'split.fold2', 'split.fold3', 'train.fold3']);
    expect(ws.readJson('data/split.fold1/manifest.json').outputsHash).toBe(screened);
    expect(ws.readJson('data/eval/metrics.json').folds).toHaveLength(3);
  }, 300_000);
});

describe('a sweep through the queue', () => {
  it('--run-all interrupted and rerun finishes the queue without redoing finished entries; exp show groups the seeds', async () => {
    const queued = ws.ser(['exp', 'run', '-S', 'train.seed=1,2', '--queue']);
    expect(queued.code, queued.output).toBe(0);
    expect(ws.ser(['exp', 'queue']).output).toMatch(/q0001\s+queued\s+train\.seed=1\n.*q0002\s+queued\s+train\.seed=2/s);
    // Interrupt the queue while it runs its second entry.
    const child = ws.serAsync(['exp', 'run', '--run-all']);
    await new Promise<void>((resolve) => {
      let text = '';
      const look = (c: Buffer) => {
        text += c;
        if (/queue: q0002/.test(text) && /train: running/.test(text.slice(text.indexOf('queue: q0002')))) child.kill('SIGKILL');
      };
      child.stdout!.on('data', look);
      child.stderr!.on('data', look);
      child.on('exit', () => resolve());
    });
    expect(ws.ser(['exp', 'queue']).output).toMatch(/q0001\s+done\s+train\.seed=1\s+— run \S+\n.*q0002\s+interrupted/s);
    const before = ws.executions().length;
    const rerun = ws.ser(['exp', 'run', '--run-all']);
    expect(rerun.code, rerun.output.slice(-3000)).toBe(0);
    expect(rerun.output).not.toContain('queue: q0001');
    expect(rerun.output).toMatch(/warning: took over the workspace lock/);
    const trained = ws
      .executions()
      .slice(before)
      .filter((e) => e.stage === 'train');
    expect(trained.length).toBeGreaterThan(0);
    expect(ws.readJson('data/train/manifest.json').params.seed).toBe(2);
    expect(ws.ser(['exp', 'queue']).output).toMatch(/q0001\s+done.*\n.*q0002\s+done/s);
    const grouped = JSON.parse(ws.ser(['exp', 'show', '--json']).output) as Record<string, unknown>[];
    const seeds = grouped.find((r) => r.runs === 2)!;
    expect(seeds['train.seed']).toEqual([1, 2]);
    expect(seeds['test.macroF1.n']).toBe(2);
  }, 600_000);
});
