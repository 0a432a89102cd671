import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLASSES_METADATA, buildTable, readTensor } from '@ser/core';
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
  const tensors = buildTable(8, { id: ids, logmel: { data: logmel, shape } });
  // train r1 r2, val r3 r4, test r5..r8: one row per recording (augmented variants are never scored)
  const roles = ['train', 'train', 'val', 'val', 'test', 'test', 'test', 'test'];
  const assignment = buildTable(
    ids.length,
    { id: ids, split: roles, label_index: Int32Array.from(labels), speaker: speakers },
    { [CLASSES_METADATA]: JSON.stringify(EMOTIONS) },
  );
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
    split: { params: splitParams.parse({}), tables: { assignment } },
    train: { params: trainParams.parse({}) },
  };
  up.train.paths = { model: join(dir, 'model.json'), weights: join(dir, 'weights.bin'), standardization: join(dir, 'standardization.json'), history: join(dir, 'history.json') };
  return up;
}

const stubLoader =
  (classes: string[] = [...EMOTIONS]): ModelLoader =>
  async (modelDir) => {
    expect(modelDir).toBe(dir);
    return {
      classes,
      backend: 'stub',
      predict: async (logmel, count, s) => {
        expect(s).toEqual(shape);
        const p = new Float32Array(count * classes.length);
        for (let i = 0; i < count; i++) p[i * classes.length + logmel[i * size]] = 1;
        return p;
      },
    };
  };

describe('eval stage', () => {
  it('scores val and test recordings (not augmented rows) and writes metrics, figures and report', async () => {
    const mem = memoryStageContext({ stage: 'eval', params: evalParams.parse({}), upstream: upstream() });
    await evalStage(stubLoader()).run(mem.ctx);
    expect(Object.keys(mem.files).sort()).toEqual(
      [
        'confusion-test-counts.png', 'confusion-test-counts.svg', 'confusion-test-normalised.png', 'confusion-test-normalised.svg',
        'confusion-val-counts.png', 'confusion-val-counts.svg', 'confusion-val-normalised.png', 'confusion-val-normalised.svg',
        'learning-curves.png', 'learning-curves.svg', 'metrics', 'report',
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
    const html = new TextDecoder().decode(mem.files.report);
    expect(html.match(/<img /g)).toHaveLength(5);
    expect(html).toContain('train.learningRate');
    expect(mem.ctx.summary.test).toEqual({ count: 4, accuracy: 0.75, balancedAccuracy: 0.75, macroF1: m.test!.macroF1 });
  });

  it('writes the same bytes for the same inputs (outputs hash stays put)', async () => {
    const run = async () => {
      const mem = memoryStageContext({ stage: 'eval', params: evalParams.parse({}), upstream: upstream() });
      await evalStage(stubLoader()).run(mem.ctx);
      return mem.files;
    };
    const [first, second] = [await run(), await run()];
    for (const [name, bytes] of Object.entries(first)) expect(Buffer.from(second[name]).equals(Buffer.from(bytes)), name).toBe(true);
  });

  it('scores only recordings that have a tensor, and says how many could not be scored', async () => {
    const up = upstream();
    up.mel!.tables = { tensors: up.mel!.tables!.tensors.slice(0, 7) }; // r8 (a test recording) excluded upstream
    const mem = memoryStageContext({ stage: 'eval', params: evalParams.parse({}), upstream: up });
    await evalStage(stubLoader()).run(mem.ctx);
    const m = JSON.parse(new TextDecoder().decode(mem.files.metrics)) as EvalMetrics;
    expect(m.test!.count).toBe(3);
    expect(mem.ctx.summary.notScored).toEqual({ val: 0, test: 1 });
    expect(mem.logs.join('\n')).toMatch(/1 test recording\(s\) have no mel tensor .* e\.g\. r8/);
  });

  it('refuses a model trained on other classes', async () => {
    const mem = memoryStageContext({ stage: 'eval', params: evalParams.parse({}), upstream: upstream() });
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
    up.train!.paths = { ...up.train!.paths, model: join(modelDir, 'model.json'), weights: join(modelDir, 'weights.bin'), standardization: join(modelDir, 'standardization.json') };
    const mem = memoryStageContext({ stage: 'eval', params: evalParams.parse({ backend: 'cpu' }), upstream: up });
    await evalStage().run(mem.ctx);
    const m = JSON.parse(new TextDecoder().decode(mem.files.metrics)) as EvalMetrics;
    expect(m.backend).toBe('cpu');
    // Independent path: load the same files, predict mel rows 4..7 (test) directly.
    const loaded = await loadTrainedModel(modelDir);
    const p = predictProbabilities(loaded.model, loaded.standardization, x.subarray(4 * size), 4, shape);
    const expected = confusionMatrix(labels.slice(4), argmaxRows(p, EMOTIONS.length), EMOTIONS.length);
    expect(m.test!.confusionMatrix).toEqual(expected);
  });
});

