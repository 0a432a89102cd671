import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLASSES_METADATA, buildTable, readNumbers, readStrings, readTensor } from '@ser/core';
import { memoryStageContext } from '@ser/core/testing';
import { augmentParams } from '@ser/augment/params';
import { melParams, trimParams } from '@ser/features/params';
import { EMOTIONS } from '@ser/ingest';
import { buildModel, fitStandardization, initBackend, loadTrainedModel, modelFiles, predictProbabilities, standardizationFile } from '@ser/model';
import { trainParams } from '@ser/model/params';
import { splitParams } from '@ser/split/params';
import { afterAll, describe, expect, it } from 'vitest';
import { argmaxRows, confusionMatrix, type EvalMetrics } from '../src/metrics.ts';
import type { ModelLoader } from '../src/eval-stage.ts';
import { evalParams } from '../src/params.ts';
import { evalStage } from '../src/stage.ts';

const dir = mkdtempSync(join(tmpdir(), 'ser-eval-stage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shape: [number, number] = [4, 3];
const size = shape[0] * shape[1];
// recordings r1..r8, speakers 01..04 twice (odd = male); mel row i = recording i
const ids = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8'];
const speakers = ['01', '02', '03', '04', '01', '02', '03', '04'];
const labels = [0, 1, 0, 1, 4, 4, 3, 3];
// The stub model "predicts" the class written in a clip's first value.
const predictedClass = [0, 1, 0, 0, 4, 3, 3, 3];

// Fold 1 (the holdout split): train r1 r2, val r3 r4, test r5..r8; fold 2 (for cross-validation): test r1..r3.
const FOLD_ROLES = [
  ['train', 'train', 'val', 'val', 'test', 'test', 'test', 'test'],
  ['test', 'test', 'test', 'val', 'val', 'train', 'train', 'train'],
];

/** A split task's output: the roles of one fold. */
const assignmentOf = (roles: string[]) =>
  buildTable(ids.length, { id: ids, split: roles, label_index: Int32Array.from(labels), speaker: speakers }, { [CLASSES_METADATA]: JSON.stringify(EMOTIONS) });

function upstream() {
  const recordings = buildTable(8, {
    id: ids,
    label_index: Int32Array.from(labels),
    speaker: speakers,
    gender: speakers.map((s) => (Number(s) % 2 ? 'male' : 'female')),
  });
  // Varied values so that a real model's outputs differ between clips; the stub reads only value 0.
  const logmel = Float32Array.from({ length: 8 * size }, (_, k) => -40 + 30 * Math.sin(k * 1.7));
  predictedClass.forEach((c, i) => (logmel[i * size] = c));
  // Value 1 of each clip: its recording's index, so the stub can check the speaker it is given.
  ids.forEach((_, i) => (logmel[i * size + 1] = i));
  const tensors = buildTable(8, { id: ids, logmel: { data: logmel, shape } });
  const history = {
    epochs: [
      { epoch: 1, loss: 2, accuracy: 0.3, valLoss: 2.1, valAccuracy: 0.25 },
      { epoch: 2, loss: 1.5, accuracy: 0.5, valLoss: 1.9, valAccuracy: 0.5 },
    ],
    bestEpoch: 2,
    backend: 'cpu',
  };
  writeFileSync(join(dir, 'model.json'), '{}');
  writeFileSync(join(dir, 'weights.bin'), '');
  writeFileSync(join(dir, 'standardization.json'), '{}');
  writeFileSync(join(dir, 'history.json'), JSON.stringify(history));
  const up: NonNullable<Parameters<typeof memoryStageContext>[0]['upstream']> = {
    ingest: { params: {}, tables: { recordings } },
    trim: { params: trimParams.parse({}) },
    mel: { params: melParams.parse({}), tables: { tensors } },
    augment: { params: augmentParams.parse({}) },
    split: { params: splitParams.parse({}), tables: { assignment: assignmentOf(FOLD_ROLES[0]) } },
    train: { params: trainParams.parse({}) },
  };
  up.train.paths = {
    model: join(dir, 'model.json'),
    weights: join(dir, 'weights.bin'),
    standardization: join(dir, 'standardization.json'),
    history: join(dir, 'history.json'),
  };
  return up;
}

const HOLDOUT = { index: 1, count: 1 };

const stubLoader =
  (classes: string[] = [...EMOTIONS]): ModelLoader =>
  async (modelDir) => {
    expect(modelDir).toBe(dir);
    return {
      classes,
      backend: 'stub',
      predict: async (logmel, count, s, clipSpeakers) => {
        expect(s).toEqual(shape);
        // Each clip comes with its recording's speaker (what standardize: speaker groups by).
        for (let i = 0; i < count; i++) expect(clipSpeakers[i]).toBe(speakers[logmel[i * size + 1]]);
        const p = new Float32Array(count * classes.length);
        for (let i = 0; i < count; i++) p[i * classes.length + logmel[i * size]] = 1;
        return p;
      },
    };
  };

describe('eval stage', () => {
  it('scores val and test recordings (not augmented rows) and writes metrics, figures and report', async () => {
    const mem = memoryStageContext({ stage: 'eval', params: evalParams.parse({}), upstream: upstream(), fold: HOLDOUT });
    await evalStage(stubLoader()).run(mem.ctx);
    expect(Object.keys(mem.files).sort()).toEqual(
      [
        'confusion-test-counts.png',
        'confusion-test-counts.svg',
        'confusion-test-normalised.png',
        'confusion-test-normalised.svg',
        'confusion-val-counts.png',
        'confusion-val-counts.svg',
        'confusion-val-normalised.png',
        'confusion-val-normalised.svg',
        'learning-curves.png',
        'learning-curves.svg',
        'metrics',
        'predictions',
        'report',
      ].sort(),
    );
    const m = JSON.parse(new TextDecoder().decode(mem.files.metrics)) as EvalMetrics;
    expect(m.backend).toBe('stub');
    // test: angry r5->angry, r6->sad; sad r7, r8 -> sad. angry P 1 R 1/2 F1 2/3; sad P 2/3 R 1 F1 4/5
    expect(m.test!.count).toBe(4);
    expect(m.test!.accuracy).toBeCloseTo(3 / 4, 12);
    expect(m.test!.macroF1).toBeCloseTo((2 / 3 + 4 / 5) / 2, 12);
    expect(m.test!.confusionMatrix[4][3]).toBe(1);
    // male (01, 03): both right -> 1; female (02, 04): angry F1 0, sad F1 2/3 -> 1/3
    expect(m.test!.byGender.male.macroF1).toBeCloseTo(1, 12);
    expect(m.test!.byGender.female.macroF1).toBeCloseTo(1 / 3, 12);
    expect(m.val!.accuracy).toBeCloseTo(1 / 2, 12);
    expect(m.test!.speakers).toEqual(['01', '02', '03', '04']);
    expect(m.protocol.groupBy).toBe('recording');
    expect(m.protocol.speakersSharedWithTrain).toEqual({ val: 0, test: 2 });
    expect(m.protocol.description).toContain('random stratified split of recordings (seed 42, train/val/test 0.8/0.1/0.1)');
    // An interval beside every figure: the value on the split and a seeded bootstrap over its recordings.
    const f1 = m.summary['test.macroF1'];
    expect(f1).toMatchObject({ method: 'bootstrap', value: m.test!.macroF1, n: 4, resamples: 2000, seed: 0 });
    expect(f1.ci95![0]).toBeLessThanOrEqual(m.test!.macroF1);
    expect(f1.ci95![1]).toBeGreaterThanOrEqual(m.test!.macroF1);
    expect(Object.keys(m.summary).sort()).toEqual(
      ['accuracy', 'balancedAccuracy', 'byGender.female.macroF1', 'byGender.male.macroF1', 'macroF1', 'weightedF1']
        .flatMap((k) => [`test.${k}`, `val.${k}`])
        .sort(),
    );
    // The predictions of every scored recording, with their probabilities.
    const p = mem.tables.predictions;
    expect(readStrings(p, 'id')).toEqual(['r3', 'r4', 'r5', 'r6', 'r7', 'r8']);
    expect(readNumbers(p, 'predicted')).toEqual(predictedClass.slice(2));
    expect(readTensor(p, 'probabilities').shape).toEqual([EMOTIONS.length]);
    expect(mem.logs.at(-1)).toMatch(/^eval: test macro-F1 0\.7333 \[\d\.\d{4}, \d\.\d{4}\], accuracy 0\.7500 \[/);
    const html = new TextDecoder().decode(mem.files.report);
    expect(html.match(/<img /g)).toHaveLength(5);
    expect(html).toContain('train.learningRate');
    expect(mem.ctx.summary.test).toEqual({ count: 4, accuracy: 0.75, balancedAccuracy: 0.75, macroF1: m.test!.macroF1 });
  });

  it('writes the same bytes for the same inputs (outputs hash stays put)', async () => {
    const run = async () => {
      const mem = memoryStageContext({ stage: 'eval', params: evalParams.parse({}), upstream: upstream(), fold: HOLDOUT });
      await evalStage(stubLoader()).run(mem.ctx);
      return mem.files;
    };
    const [first, second] = [await run(), await run()];
    for (const [name, bytes] of Object.entries(first)) expect(Buffer.from(second[name]).equals(Buffer.from(bytes)), name).toBe(true);
  });

  it('scores only recordings that have a tensor, and says how many could not be scored', async () => {
    const up = upstream();
    up.mel!.tables = { tensors: up.mel!.tables!.tensors.slice(0, 7) }; // r8 (a test recording) excluded upstream
    const mem = memoryStageContext({ stage: 'eval', params: evalParams.parse({}), upstream: up, fold: HOLDOUT });
    await evalStage(stubLoader()).run(mem.ctx);
    const m = JSON.parse(new TextDecoder().decode(mem.files.metrics)) as EvalMetrics;
    expect(m.test!.count).toBe(3);
    expect(mem.ctx.summary.notScored).toEqual({ val: 0, test: 1 });
    expect(mem.logs.join('\n')).toMatch(/1 test recording\(s\) have no mel tensor .* e\.g\. r8/);
  });

  it('eval.tta variants: a recording scores by the mean probabilities of its tensor and its augmented variants', async () => {
    const up = upstream();
    // r5 (test, label 4, its own tensor says 4) has two variants that say 3; r6 has one that says 4; the others none.
    const variantOf = ['r5', 'r5', 'r6', 'r1'];
    const says = [3, 3, 4, 0];
    const logmel = new Float32Array(variantOf.length * size);
    says.forEach((c, i) => (logmel[i * size] = c));
    variantOf.forEach((v, i) => (logmel[i * size + 1] = ids.indexOf(v)));
    up.augment!.tables = {
      tensors: buildTable(variantOf.length, { id: variantOf.map((v, i) => `${v}~${i}`), source: variantOf, logmel: { data: logmel, shape } }),
    };
    const mem = memoryStageContext({ stage: 'eval', params: evalParams.parse({ tta: 'variants' }), upstream: up, fold: HOLDOUT });
    await evalStage(stubLoader()).run(mem.ctx);
    const p = mem.tables.predictions;
    const probabilities = readTensor(p, 'probabilities').data;
    const row = (id: string) => readStrings(p, 'id').indexOf(id);
    const probs = (id: string) => Array.from(probabilities.subarray(row(id) * EMOTIONS.length, (row(id) + 1) * EMOTIONS.length));
    expect(probs('r5')[4]).toBeCloseTo(1 / 3, 6);
    expect(probs('r5')[3]).toBeCloseTo(2 / 3, 6);
    // r6: its own tensor says 3, its variant 4: a tie, which argmax gives to the first class.
    expect(probs('r6')[3]).toBeCloseTo(0.5, 6);
    expect(probs('r6')[4]).toBeCloseTo(0.5, 6);
    expect(probs('r7')[3]).toBe(1);
    expect(readNumbers(p, 'predicted')[row('r5')]).toBe(3);
  });

  it('refuses a model trained on other classes', async () => {
    const mem = memoryStageContext({ stage: 'eval', params: evalParams.parse({}), upstream: upstream(), fold: HOLDOUT });
    await expect(evalStage(stubLoader(['a', 'b'])).run(mem.ctx)).rejects.toThrow(/train\/model classes \[a,b\] differ from split\/assignment classes/);
  });

  it('runs a real (untrained) @ser/model model from its files; metrics match direct predictions', async () => {
    const modelDir = join(dir, 'real');
    mkdirSync(modelDir, { recursive: true });
    await initBackend('cpu');
    const params = trainParams.parse({ filters: [4], denseUnits: 8, seed: 3 });
    const model = buildModel(params, EMOTIONS.length, [...shape, 1]);
    const files = await modelFiles(model, [...EMOTIONS]);
    const up = upstream();
    const x = readTensor(up.mel!.tables!.tensors, 'logmel').data;
    writeFileSync(join(modelDir, 'model.json'), files.modelJson);
    writeFileSync(join(modelDir, 'weights.bin'), files.weights);
    writeFileSync(join(modelDir, 'standardization.json'), standardizationFile(fitStandardization(x, 8, shape)));
    up.train!.paths = {
      ...up.train!.paths,
      model: join(modelDir, 'model.json'),
      weights: join(modelDir, 'weights.bin'),
      standardization: join(modelDir, 'standardization.json'),
    };
    const mem = memoryStageContext({ stage: 'eval', params: evalParams.parse({ backend: 'cpu' }), upstream: up, fold: HOLDOUT });
    await evalStage().run(mem.ctx);
    const m = JSON.parse(new TextDecoder().decode(mem.files.metrics)) as EvalMetrics;
    expect(m.backend).toBe('cpu');
    // Independent path: load the same files, predict mel rows 4..7 (test) directly.
    const loaded = await loadTrainedModel(modelDir);
    const p = predictProbabilities(loaded.model, loaded.standardization, x.subarray(4 * size), 4, shape);
    const expected = confusionMatrix(labels.slice(4), argmaxRows(p, EMOTIONS.length), EMOTIONS.length);
    expect(m.test!.confusionMatrix).toEqual(expected);
  });

  it('cross-validation: each fold scores its own test speakers, and the combined task pools them with a t-interval over folds', async () => {
    const up = upstream();
    const cv = splitParams.parse({ protocol: 'actor-kfold', folds: 2, valActors: 1 });
    const splitFolds = Object.fromEntries(FOLD_ROLES.map((roles, k) => [`split.fold${k + 1}`, { params: cv, tables: { assignment: assignmentOf(roles) } }]));
    const foldTasks = ['eval.fold1', 'eval.fold2'];
    const scoredFolds: Record<string, { tables: Record<string, ReturnType<typeof buildTable>>; paths: Record<string, string> }> = {};
    for (const [k, task] of foldTasks.entries()) {
      // A fold task reads its own fold of split (the runner resolves 'split' to `split.fold<k>`).
      const foldUpstream = { ...up, split: splitFolds[`split.fold${k + 1}`] };
      const mem = memoryStageContext({ stage: task, params: evalParams.parse({}), upstream: foldUpstream, fold: { index: k + 1, count: 2 } });
      await evalStage(stubLoader()).run(mem.ctx);
      // A fold of several: its metrics and predictions only; the figures and the report are the combination's.
      expect(Object.keys(mem.files).sort()).toEqual(['metrics', 'predictions']);
      const metricsPath = join(dir, `${task}-metrics.json`);
      writeFileSync(metricsPath, mem.files.metrics);
      scoredFolds[task] = { tables: { predictions: mem.tables.predictions }, paths: { metrics: metricsPath } };
    }
    const history = up.train.paths!.history;
    const mem = memoryStageContext({
      stage: 'eval',
      params: evalParams.parse({}),
      upstream: {
        ingest: up.ingest,
        split: splitFolds['split.fold1'],
        ...splitFolds,
        'train.fold1': { params: up.train.params, paths: { history } },
        'train.fold2': { params: up.train.params, paths: { history } },
        ...scoredFolds,
      },
      folds: foldTasks,
    });
    await evalStage(stubLoader()).combine!(mem.ctx);
    const m = JSON.parse(new TextDecoder().decode(mem.files.metrics)) as EvalMetrics;
    expect(m.folds!.map((f) => f.actors.test)).toEqual([
      ['01', '02', '03', '04'],
      ['01', '02', '03'],
    ]);
    // Fold 1 tests r5..r8 (macro-F1 (2/3 + 4/5)/2); fold 2 tests r1..r3 (neutral, calm, neutral), all right: 1.
    const fold1 = (2 / 3 + 4 / 5) / 2;
    const fold2 = 1;
    expect(m.folds!.map((f) => f.test!.macroF1)).toEqual([expect.closeTo(fold1, 12), expect.closeTo(fold2, 12)]);
    const f1 = m.summary['test.macroF1'];
    expect(f1).toMatchObject({ method: 't', n: 2, mean: expect.closeTo((fold1 + fold2) / 2, 12) });
    // Student t, 1 degree of freedom: half-width 12.706 · std / sqrt(2).
    const std = Math.abs(fold1 - fold2) / Math.SQRT2;
    expect(f1.ci95![1] - (fold1 + fold2) / 2).toBeCloseTo((12.706204736174698 * std) / Math.SQRT2, 9);
    // Pooled: the 7 test recordings of both folds, each tested once.
    expect(m.test!.count).toBe(7);
    expect(m.test!.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(7);
    expect(m.test!.byGender.male.count + m.test!.byGender.female.count).toBe(7);
    expect(m.val).toBeNull();
    const html = new TextDecoder().decode(mem.files.report);
    expect(html).toContain('Per fold');
    expect(html).toContain('2-fold actor cross-validation');
    expect(
      Object.keys(mem.files)
        .filter((f) => f.endsWith('.svg'))
        .sort(),
    ).toEqual(['confusion-test-counts.svg', 'confusion-test-normalised.svg', 'learning-curves-fold1.svg', 'learning-curves-fold2.svg']);
  });
});
