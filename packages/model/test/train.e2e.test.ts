/**
 * End-to-end training on a small separable dataset (wasm backend, two worker threads): accuracy
 * rises well above chance, the same seed gives the same weights, an interrupted run resumes to the
 * same result, and the saved files load back (on wasm and cpu) to the same predictions.
 */
import * as tf from '@tensorflow/tfjs';
import { bundle } from '@ser/build/bundle';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/backend.ts';
import { folderCheckpointStore } from '../src/checkpoint.ts';
import { MODEL_FILE, STANDARDIZATION_FILE, WEIGHTS_FILE, loadTrainedModel, modelFiles, standardizationFile } from '../src/files.ts';
import { buildModel } from '../src/model.ts';
import { predictProbabilities } from '../src/predict.ts';
import type { Standardization } from '../src/standardize.ts';
import { trainModel, type Checkpoint } from '../src/train.ts';
import { getFlatWeights } from '../src/weights.ts';
import { CLASSES, SHAPE, synthetic, tinyParams } from './synthetic.ts';

const inputShape = [SHAPE[0], SHAPE[1], 1];
const train = synthetic(192, 1);
const val = synthetic(60, 2);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ser-model-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('trainModel', () => {
  let first: Float32Array;

  it('learns a separable task: validation accuracy ≥ 0.8 (chance 1/3), loss falls', async () => {
    const lines: string[] = [];
    const { model, history } = await trainModel({
      train,
      val,
      numClasses: CLASSES,
      params: tinyParams(),
      inputShape,
      onEpoch: (e) => lines.push(JSON.stringify(e)),
    });
    expect(history.backend).toBe('wasm');
    expect(history.workers).toBe(2);
    expect(lines).toHaveLength(8);
    const best = history.epochs[history.bestEpoch - 1];
    expect(best.valAccuracy).toBeGreaterThanOrEqual(0.8);
    expect(history.epochs[7].loss).toBeLessThan(history.epochs[0].loss * 0.7);
    first = getFlatWeights(model);
    model.dispose();
  });

  for (const pooling of ['statistics', 'attention'] as const)
    it(`pooling ${pooling} learns the separable task too (its band-keeping features through the training forward)`, async () => {
      const { model, history } = await trainModel({ train, val, numClasses: CLASSES, params: tinyParams({ pooling }), inputShape });
      expect(history.epochs[history.bestEpoch - 1].valAccuracy).toBeGreaterThanOrEqual(0.8);
      expect(history.epochs[7].loss).toBeLessThan(history.epochs[0].loss * 0.7);
      model.dispose();
    });

  it('is deterministic: the same seed and data give the same weights', async () => {
    const { model } = await trainModel({ train, val, numClasses: CLASSES, params: tinyParams(), inputShape });
    expect(Buffer.from(getFlatWeights(model).buffer).equals(Buffer.from(first.buffer))).toBe(true);
    model.dispose();
  });

  it('a different seed gives different weights', async () => {
    const { model } = await trainModel({ train, val, numClasses: CLASSES, params: tinyParams({ seed: 8 }), inputShape });
    expect(Buffer.from(getFlatWeights(model).buffer).equals(Buffer.from(first.buffer))).toBe(false);
    model.dispose();
  });

  it('resumes an interrupted run from its last completed epoch, to the same weights', async () => {
    const store = folderCheckpointStore(join(dir, 'ckpt'));
    const crashing = {
      load: store.load,
      async save(c: Checkpoint) {
        await store.save(c);
        if (c.epoch === 3) throw new Error('simulated crash after epoch 3');
      },
    };
    await expect(trainModel({ train, val, numClasses: CLASSES, params: tinyParams(), inputShape, checkpoint: crashing })).rejects.toThrow('simulated crash');
    const epochsRun: number[] = [];
    const { model, history } = await trainModel({
      train,
      val,
      numClasses: CLASSES,
      params: tinyParams(),
      inputShape,
      checkpoint: store,
      onEpoch: (e) => epochsRun.push(e.epoch),
    });
    expect(epochsRun).toEqual([4, 5, 6, 7, 8]);
    expect(history.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Buffer.from(getFlatWeights(model).buffer).equals(Buffer.from(first.buffer))).toBe(true);
    model.dispose();
  });

  for (const restoreBestWeights of [true, false])
    it(`restoreBestWeights ${restoreBestWeights}: the model holds the ${restoreBestWeights ? 'lowest-validation-loss' : 'last'} epoch's weights`, async () => {
      let last: Checkpoint | undefined;
      const capture = { load: async () => null, save: async (c: Checkpoint) => void (last = structuredClone(c)) };
      const params = tinyParams({ epochs: 12, learningRate: 0.05, patience: 0, restoreBestWeights });
      const { model, history } = await trainModel({ train, val, numClasses: CLASSES, params, inputShape, checkpoint: capture });
      const valLosses = history.epochs.map((e) => e.valLoss);
      const lowest = valLosses.indexOf(Math.min(...valLosses)) + 1;
      expect(lowest, 'the run must not peak at its last epoch, or the two cases are the same').toBeLessThan(12);
      expect(history.bestEpoch).toBe(restoreBestWeights ? lowest : 12);
      const kept = restoreBestWeights ? last!.best : last!.weights;
      expect(Buffer.from(getFlatWeights(model).buffer).equals(Buffer.from(kept.buffer))).toBe(true);
      model.dispose();
    });

  it('lrPlateau: the learning rate is multiplied by factor after patience epochs without a new lowest validation loss', async () => {
    const lrPlateau = { factor: 0.5, patience: 1, min: 0.02 };
    const { history } = await trainModel({ train, val, numClasses: CLASSES, params: tinyParams({ epochs: 12, learningRate: 0.05, lrPlateau }), inputShape });
    // The rule replayed on the recorded validation losses (Keras ReduceLROnPlateau, cooldown 0).
    let lr = 0.05;
    let best = Infinity;
    let wait = 0;
    const expected = history.epochs.map((e) => {
      const used = lr;
      if (e.valLoss < best) [best, wait] = [e.valLoss, 0];
      else if (++wait >= lrPlateau.patience) [lr, wait] = [Math.max(lrPlateau.min, lr * lrPlateau.factor), 0];
      return used;
    });
    expect(history.epochs.map((e) => e.learningRate)).toEqual(expected);
    expect(Math.min(...expected), 'at least one reduction, down to the floor').toBe(0.02);
  });

  it('lrSchedule cosine: each epoch runs at ½·lr·(1 + cos(π·(e−1)/epochs)), whatever validation does', async () => {
    const params = tinyParams({ epochs: 4, learningRate: 0.01, lrSchedule: 'cosine', lrPlateau: { factor: 0.5, patience: 1, min: 0 } });
    const { history } = await trainModel({ train, val, numClasses: CLASSES, params, inputShape });
    // cos(0), cos(π/4), cos(π/2), cos(3π/4)
    const expected = [0.01, 0.005 * (1 + Math.SQRT1_2), 0.005, 0.005 * (1 - Math.SQRT1_2)];
    history.epochs.forEach((e, i) => expect(e.learningRate).toBeCloseTo(expected[i], 12));
  });

  it('lrSchedule one-cycle: from lr/25 up to lr at 30 % of the epochs, then down towards lr/(25·10⁴), whatever validation does', async () => {
    const lr = 0.01;
    const params = tinyParams({ epochs: 10, learningRate: lr, lrSchedule: 'one-cycle', lrPlateau: { factor: 0.5, patience: 1, min: 0 } });
    const { history } = await trainModel({ train, val, numClasses: CLASSES, params, inputShape });
    const used = history.epochs.map((e) => e.learningRate);
    expect(used).toHaveLength(10);
    expect(used[0]).toBeCloseTo(lr / 25, 12);
    expect(used[3]).toBeCloseTo(lr, 12); // epoch 4 starts at share 0.3
    for (let i = 1; i <= 3; i++) expect(used[i]).toBeGreaterThan(used[i - 1]);
    for (let i = 4; i < 10; i++) expect(used[i]).toBeLessThan(used[i - 1]);
    // The last epoch sits at 6/7 of the way down: ½(1 + cos(6π/7)) of the span above the floor.
    const floor = lr / 25 / 1e4;
    expect(used[9]).toBeCloseTo(floor + (lr - floor) * 0.5 * (1 + Math.cos((6 * Math.PI) / 7)), 12);
  });

  it('early stopping keeps the epoch of lowest validation loss', async () => {
    const { history } = await trainModel({ train, val, numClasses: CLASSES, params: tinyParams({ epochs: 12, patience: 1, learningRate: 0.05 }), inputShape });
    const losses = history.epochs.map((e) => e.valLoss);
    expect(history.epochs[history.bestEpoch - 1].valLoss).toBe(Math.min(...losses));
    if (history.stoppedEarly) expect(history.epochs.length).toBe(history.bestEpoch + 1);
  });
});

describe('model files', () => {
  for (const pooling of ['average', 'statistics', 'attention'] as const)
    it(`pooling ${pooling}: save → loadTrainedModel gives identical predictions on wasm, and the same within 1e-5 on cpu`, async () => {
      const { model } = await trainModel({ train, val, numClasses: CLASSES, params: tinyParams({ epochs: 2, pooling }), inputShape });
      const standardization: Standardization = {
        axis: 'mel',
        mean: Array.from({ length: SHAPE[0] }, (_, i) => i / 10),
        std: Array.from({ length: SHAPE[0] }, () => 2),
      };
      const classes = ['a', 'b', 'c'];
      const files = await modelFiles(model, classes);
      await writeFile(join(dir, MODEL_FILE), files.modelJson);
      await writeFile(join(dir, WEIGHTS_FILE), files.weights);
      await writeFile(join(dir, STANDARDIZATION_FILE), standardizationFile(standardization));
      const json = JSON.parse(new TextDecoder().decode(files.modelJson));
      expect(json.weightsManifest[0].paths).toEqual([WEIGHTS_FILE]);

      const clips = synthetic(40, 3).x;
      await initBackend('wasm');
      const before = predictProbabilities(model, standardization, clips, 40, SHAPE);
      const loaded = await loadTrainedModel(dir);
      expect(loaded.classes).toEqual(classes);
      expect(loaded.standardization).toEqual(standardization);
      const after = predictProbabilities(loaded.model, loaded.standardization, clips, 40, SHAPE);
      expect(Array.from(after)).toEqual(Array.from(before));
      for (let i = 0; i < 40; i++) expect(after.subarray(i * 3, i * 3 + 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);

      await initBackend('cpu');
      const onCpu = await loadTrainedModel(dir);
      const cpu = predictProbabilities(onCpu.model, onCpu.standardization, clips, 40, SHAPE);
      cpu.forEach((p, i) => expect(Math.abs(p - before[i])).toBeLessThan(1e-5));
      tf.dispose([model, loaded.model, onCpu.model] as unknown as tf.Tensor[]);
    });

  it("the inference entry bundled as the eval stage and `ser predict` run it loads models with this package's pooling layers (their registration survives tree-shaking)", async () => {
    const entry = await bundle('inference-test', "export { loadTrainedModel } from '@ser/model/inference';", import.meta.filename);
    for (const pooling of ['statistics', 'attention'] as const) {
      const model = buildModel(tinyParams({ pooling }), CLASSES, inputShape);
      const files = await modelFiles(model, ['a', 'b', 'c']);
      await writeFile(join(dir, MODEL_FILE), files.modelJson);
      await writeFile(join(dir, WEIGHTS_FILE), files.weights);
      await writeFile(join(dir, STANDARDIZATION_FILE), standardizationFile({ axis: 'utterance' }));
      // A process of its own: this one has the layers registered by the test's own imports.
      const script = `const { loadTrainedModel } = await import(${JSON.stringify(entry)});
        const { model } = await loadTrainedModel(${JSON.stringify(dir)});
        console.log(model.layers.map((l) => l.getClassName()).join(' '));`;
      const layers = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim().split(' ');
      expect(layers).toEqual(model.layers.map((l) => l.getClassName()));
      model.dispose();
    }
  });

  it('a standardization.json with an unknown axis is a clear error naming the file and the axes it may name', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'ser-model-axis-'));
    const model = buildModel(tinyParams(), CLASSES, inputShape);
    const files = await modelFiles(model, ['a', 'b', 'c']);
    await writeFile(join(bad, MODEL_FILE), files.modelJson);
    await writeFile(join(bad, WEIGHTS_FILE), files.weights);
    await writeFile(join(bad, STANDARDIZATION_FILE), JSON.stringify({ axis: 'frame' }));
    await expect(loadTrainedModel(bad)).rejects.toThrow(/standardization\.json: unknown axis 'frame' \(expected one of 'mel', 'utterance', 'speaker'\)/);
    model.dispose();
    await rm(bad, { recursive: true, force: true });
  });

  it('a missing weights file is a clear error naming it', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'ser-model-bad-'));
    await writeFile(
      join(empty, MODEL_FILE),
      JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['gone.bin'], weights: [] }], userDefinedMetadata: { classes: ['a'] } }),
    );
    await expect(loadTrainedModel(empty)).rejects.toThrow(/gone\.bin/);
    await rm(empty, { recursive: true, force: true });
  });
});
