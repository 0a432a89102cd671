/**
 * `ser bench train`: the model of buildModel (default params) on random 128×128×1 inputs.
 * Training: two epochs of `batches` batches through trainModel (the first warms up XNNPACK's
 * operator caches and the workers); the second epoch's samples/s over its gradient steps is reported,
 * the epoch-end precise-BN pass (a forward pass over min(512, rows) rows) separately. Inference: the
 * same rows through the workers in batches of 32. Profile: kernel milliseconds of one training
 * step of one worker's share, on the main thread (tf.profile).
 * The *CpuSamplesPerSec figures divide by the process's CPU seconds (all threads) instead of wall
 * time: on a shared, loaded machine they stay comparable with the peer's CPU-time figures.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_PRESET, trainParams, type Backend, type PresetName } from './params.ts';
import { availableParallelism, loadavg } from 'node:os';
import { initBackend } from './backend.ts';
import { forwardTraining } from './forward.ts';
import { Rng } from './rng.ts';
import { withPool } from '@ser/core';
import { predictRows, trainModel } from './train.ts';
import type { Session } from './train-worker.ts';
import { getFlatWeights } from './weights.ts';

export interface BenchOptions {
  /** Batches of 32 per measured epoch; default 8. */
  batches?: number;
  backend?: Backend;
  /** 0 = one per core. */
  workers?: number;
  /** The recipe whose model is timed; default DEFAULT_PRESET. */
  preset?: PresetName;
}

function randomData(rows: number, size: number, classes: number, seed: number) {
  const rng = new Rng(seed);
  // log-Mel-like values, standardised: roughly N(0,1) is enough for timing.
  const x = Float32Array.from({ length: rows * size }, () => rng.next() * 3.4 - 1.7);
  const labels = Int32Array.from({ length: rows }, () => Math.floor(rng.next() * classes));
  return { x, labels };
}

export async function benchTrain(options: BenchOptions = {}): Promise<Record<string, unknown>> {
  const batches = options.batches ?? 8;
  const preset = options.preset ?? DEFAULT_PRESET;
  const params = trainParams.parse({ preset, backend: options.backend ?? 'wasm', epochs: 2, patience: 0, workers: options.workers ?? 0 });
  const inputShape = [128, 128, 1];
  const size = 128 * 128;
  const classes = 8;
  const rows = batches * params.batchSize;
  const data = randomData(rows, size, classes, 1);
  const load = loadavg()[0];
  // CPU seconds at the end of each epoch and of each epoch's gradient steps (before precise BN).
  const cpuAtEpochEnd: number[] = [];
  const cpuAtStepsEnd: number[] = [];
  const cpuSeconds = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const { model, history } = await trainModel({
    train: data,
    val: { x: new Float32Array(0), labels: new Int32Array(0) },
    numClasses: classes,
    params,
    inputShape,
    onBatch: (done, total) => done === total && cpuAtStepsEnd.push(cpuSeconds()),
    onEpoch: () => cpuAtEpochEnd.push(cpuSeconds()),
  });

  // Inference through the same worker arrangement.
  const workers = history.workers;
  const session: Session = {
    id: `bench-${process.pid}`,
    backend: params.backend,
    model: params,
    numClasses: classes,
    inputShape,
    x: new SharedArrayBuffer(rows * size * 4),
    labels: new SharedArrayBuffer(rows * 4),
    freqShift: params.freqShift,
    specAugment: params.specAugment,
    labelSmoothing: params.labelSmoothing,
    mixup: params.mixup,
  };
  new Float32Array(session.x).set(data.x);
  const weights = getFlatWeights(model);
  const all = Int32Array.from({ length: rows }, (_, i) => i);
  const { inferSamplesPerSec, inferCpuSamplesPerSec } = await withPool(
    new URL('./train-worker.ts', import.meta.url),
    async (pool) => {
      await predictRows(pool, session, weights, all.subarray(0, 32 * workers), workers);
      const t = performance.now();
      const c = cpuSeconds();
      await predictRows(pool, session, weights, all, workers);
      return { inferSamplesPerSec: rows / ((performance.now() - t) / 1000), inferCpuSamplesPerSec: rows / (cpuSeconds() - c) };
    },
    workers,
  );
  const profile = await profileStep(model, Math.ceil(params.batchSize / workers), classes);
  model.dispose();
  return {
    preset,
    backend: history.backend,
    workers,
    cores: availableParallelism(),
    loadAverage1m: Number(load.toFixed(2)),
    batchSize: params.batchSize,
    batches,
    trainSamplesPerSec: Number(history.epochs[1].samplesPerSec.toFixed(2)),
    inferSamplesPerSec: Number(inferSamplesPerSec.toFixed(2)),
    trainCpuSamplesPerSec: Number((rows / (cpuAtStepsEnd[1] - cpuAtEpochEnd[0])).toFixed(2)),
    preciseBnSeconds: Number(history.epochs[1].preciseBnSeconds.toFixed(2)),
    inferCpuSamplesPerSec: Number(inferCpuSamplesPerSec.toFixed(2)),
    profileBatch: Math.ceil(params.batchSize / workers),
    profileMs: profile,
  };
}

/** Kernel ms of one forward+backward step (the per-worker share) on the main thread, largest first. */
async function profileStep(model: tf.LayersModel, batch: number, classes: number): Promise<Record<string, number>> {
  await initBackend('wasm');
  const vars = model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
  const x = tf.randomNormal([batch, 128, 128, 1]) as tf.Tensor4D;
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % classes),
      'int32',
    ),
    classes,
  );
  const step = () =>
    tf.tidy(() => {
      const stats: tf.Tensor[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const f = forwardTraining(model, x, 1);
        stats.push(...f.stats.flatMap((s) => [s.mean, s.variance]));
        return tf.losses.softmaxCrossEntropy(y, f.logits) as tf.Scalar;
      }, vars);
      tf.dispose(stats);
      return [value, ...Object.values(grads)];
    });
  tf.dispose(step());
  const info = await tf.profile(() => step());
  tf.dispose([x, y]);
  const totals: Record<string, number> = {};
  for (const k of info.kernels) {
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    totals[key] = (totals[key] ?? 0) + (k.kernelTimeMs as number);
  }
  return Object.fromEntries(
    Object.entries(totals)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([k, v]) => [k, Number(v.toFixed(1))]),
  );
}
