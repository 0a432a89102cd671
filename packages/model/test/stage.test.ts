/**
 * The train stage through @ser/core's in-memory StageContext: it reads split/assignment, mel and
 * augment tensors, writes model.json (naming weights.bin), weights.bin, history.json and
 * standardization.json that load back, honours useAugmented, and removes its checkpoints.
 */
import { buildTable, CLASSES_METADATA, readTensor } from '@ser/core';
import { memoryStageContext } from '@ser/core/testing';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrainedModel } from '../src/files.ts';
import type { TrainParams } from '../src/params.ts';
import { stage as trainStage } from '../src/stage.ts';
import { CLASSES, SHAPE, synthetic, tinyParams } from './synthetic.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ser-train-stage-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** 120 recordings (train 80 / val 40) and one augmented copy of each training recording. */
function upstream() {
  const rec = synthetic(120, 5);
  const aug = synthetic(80, 6);
  // Augmented copies carry their source's label: reuse the recording's label and pattern.
  const n = 120;
  const mel = buildTable(n, {
    id: Array.from({ length: n }, (_, i) => `r${i}`),
    frames: Int32Array.from({ length: n }, () => SHAPE[1]),
    logmel: { data: rec.x.map((v) => v * 10 - 40), shape: SHAPE },
  });
  const augment = buildTable(80, {
    id: Array.from({ length: 80 }, (_, i) => `r${i}#noise0`),
    source: Array.from({ length: 80 }, (_, i) => `r${i}`),
    kind: Array.from({ length: 80 }, () => 'noise'),
    amount: Float64Array.from({ length: 80 }, () => 20),
    frames: Int32Array.from({ length: 80 }, () => SHAPE[1]),
    logmel: { data: rec.x.subarray(0, 80 * SHAPE[0] * SHAPE[1]).map((v, i) => v * 10 - 40 + (aug.x[i] - 0.5) * 0.5), shape: SHAPE },
  });
  // One row per recording (the split stage's output); augmented copies follow their source by id.
  const assignment = buildTable(
    n,
    {
      id: Array.from({ length: n }, (_, i) => `r${i}`),
      split: Array.from({ length: n }, (_, i) => (i < 80 ? 'train' : 'val')),
      label_index: Int32Array.from(rec.labels),
      speaker: Array.from({ length: n }, () => 's'),
    },
    { [CLASSES_METADATA]: JSON.stringify(['low', 'mid', 'high']) },
  );
  // Mean of mel band 0 over the training tensors only (train recordings and their augmented copies).
  const band0 = (data: Float32Array, count: number) => {
    let sum = 0;
    for (let i = 0; i < count; i++) for (let t = 0; t < SHAPE[1]; t++) sum += data[i * SHAPE[0] * SHAPE[1] + t];
    return sum;
  };
  const trainBand0Mean = (band0(readTensor(mel, 'logmel').data, 80) + band0(readTensor(augment, 'logmel').data, 80)) / (160 * SHAPE[1]);
  return { tables: { mel: { tables: { tensors: mel } }, augment: { tables: { tensors: augment } }, split: { tables: { assignment } } }, trainBand0Mean };
}

async function runStage(params: TrainParams) {
  const u = upstream();
  const m = memoryStageContext({ stage: 'train', params, root, upstream: u.tables, fold: { index: 1, count: 1 } });
  await trainStage.run(m.ctx);
  return { ...m, trainBand0Mean: u.trainBand0Mean };
}

describe('train stage', () => {
  it('writes a loadable model, history and standardisation; cleans its checkpoints', async () => {
    const m = await runStage(tinyParams({ epochs: 3 }));
    expect(Object.keys(m.files).sort()).toEqual(['history', 'model', 'standardization', 'weights']);
    expect(m.logs[0]).toMatch(/^160 training and 40 validation tensors of \[16,16\], 3 classes/);
    expect(m.logs.filter((l) => /^epoch \d\/3 .*samples\/s .*ETA/.test(l))).toHaveLength(3);
    const history = JSON.parse(new TextDecoder().decode(m.files.history));
    expect(history.backend).toBe('wasm');
    expect(history.epochs).toHaveLength(3);
    // An output says what training did, not how long it took: timings are the manifest's (summary).
    expect(Object.keys(history.epochs[0]).sort()).toEqual(['accuracy', 'epoch', 'learningRate', 'loss', 'valAccuracy', 'valLoss']);
    expect(JSON.stringify(history)).not.toMatch(/seconds|samplesPerSec/i);
    expect((m.ctx.summary.epochTimes as unknown[]).length).toBe(3);
    expect(m.ctx.summary).toMatchObject({ backend: 'wasm', trainRows: 160, valRows: 40, epochsRun: 3 });

    const dir = join(root, 'out');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
    await writeFile(join(dir, 'model.json'), m.files.model);
    await writeFile(join(dir, 'weights.bin'), m.files.weights);
    await writeFile(join(dir, 'standardization.json'), m.files.standardization);
    const loaded = await loadTrainedModel(dir);
    expect(loaded.classes).toEqual(['low', 'mid', 'high']);
    expect(loaded.model.outputs[0].shape).toEqual([null, CLASSES]);
    // Training-split statistics only (the val rows would shift it).
    expect(loaded.standardization.axis === 'mel' && loaded.standardization.mean[0]).toBeCloseTo(m.trainBand0Mean, 3);
    expect(existsSync(join(root, 'data', '.checkpoints'))).toBe(true);
    expect(readdirSync(join(root, 'data', '.checkpoints'))).toEqual([]);
  });

  it("variantsPerEpoch: 'one' trains each epoch on one tensor per training recording", async () => {
    const m = await runStage(tinyParams({ epochs: 1, variantsPerEpoch: 'one' }));
    expect(m.logs[0]).toMatch(/^160 training and 40 validation tensors/);
    expect(m.logs).toContain('each epoch: one tensor of each of the 80 training recordings (itself or a variant, drawn at random)');
    expect(m.logs.filter((l) => /^epoch 1\/1 /.test(l))).toHaveLength(1);
  });

  it("standardize: 'speaker' records its axis; nothing is stored to standardise with", async () => {
    const m = await runStage(tinyParams({ epochs: 1, standardize: 'speaker' }));
    expect(JSON.parse(new TextDecoder().decode(m.files.standardization))).toEqual({ axis: 'speaker' });
  });

  it('useAugmented: false trains on the recordings only', async () => {
    const m = await runStage(tinyParams({ epochs: 1, useAugmented: false }));
    expect(m.logs[0]).toMatch(/^80 training and 40 validation tensors/);
  });
});
