/**
 * Synchronous data-parallel training. Each batch is cut into one share per worker thread; every
 * worker (its own single-threaded wasm backend) returns the gradient of its share's summed loss
 * for the current weights; the main thread adds them, divides by the batch size and applies Adam.
 * So the update is the full-batch gradient, except that batch norm normalises each share with the
 * share's own statistics ("ghost batch norm", Hoffer et al. 2017, ghost batch = batch / workers).
 * The moving averages are updated with the exact full-batch mean and variance, pooled from the
 * shares' moments, and bias-corrected (see updateMovingStats). Dropout masks and shuffles come
 * from one seeded generator: the same seed, data, worker count and backend give the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainParams } from './params.ts';
import { availableParallelism } from 'node:os';
import { adamState, adamUpdate, type AdamState } from './adam.ts';
import { initBackend } from './backend.ts';
import { buildModel } from './model.ts';
import { Rng } from './rng.ts';
import { indicesByKey, withPool, type WorkerPool } from '@ser/core';
import type { GradResult, Session } from './train-worker.ts';
import { getFlatWeights, setFlatWeights, trainableRuns, weightLayout } from './weights.ts';

/** Standardised inputs, row-major [rows, height·width], and their class indices. */
export interface TrainData {
  x: Float32Array;
  labels: Int32Array;
  /** The recording each row was made from (its index; its augmented variants share it): what `variantsPerEpoch: one` draws from. */
  recordings?: Int32Array;
}

/** What one epoch trains on: `size` rows, drawn afresh by `draw` each epoch. */
export interface EpochSampler {
  size: number;
  draw(rng: Rng): Int32Array;
}

/**
 * The rows of each epoch, shuffled: all of them, or (`one`) one row per recording, drawn uniformly
 * from the recording's own row and its variants'.
 */
export function epochSampler(train: TrainData, variantsPerEpoch: TrainParams['variantsPerEpoch']): EpochSampler {
  const rows = train.labels.length;
  if (variantsPerEpoch === 'all' || !train.recordings) return { size: rows, draw: (rng) => rng.permutation(rows) };
  const groups = [...indicesByKey(train.recordings).values()];
  return {
    size: groups.length,
    draw(rng) {
      const picked = groups.map((g) => g[Math.floor(rng.next() * g.length)]);
      return Int32Array.from(rng.permutation(picked.length), (i) => picked[i]);
    },
  };
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  /** NaN without validation rows. */
  valLoss: number;
  valAccuracy: number;
  /** The learning rate of the epoch's steps (see train.lrSchedule). */
  learningRate: number;
  /** Training samples per second of the epoch's gradient steps (precise BN and validation excluded). */
  samplesPerSec: number;
  /** The epoch-end precise-BN pass (a forward pass over up to 512 training rows). */
  preciseBnSeconds: number;
  seconds: number;
  /** Estimated seconds left if no early stop. */
  etaSeconds: number;
}

export interface History {
  epochs: EpochRecord[];
  /** 1-based epoch whose weights were kept (lowest validation loss; the last epoch without validation or with restoreBestWeights false). */
  bestEpoch: number;
  stoppedEarly: boolean;
  backend: string;
  workers: number;
  /** Mean training samples/s (gradient steps) over the epochs run in this process. */
  samplesPerSec: number;
}

/** Everything needed to continue after the last completed epoch. */
export interface Checkpoint {
  epoch: number;
  weights: Float32Array;
  best: Float32Array;
  bestEpoch: number;
  bestValLoss: number;
  wait: number;
  /** The current learning rate (see train.lrPlateau). */
  learningRate: number;
  adam: AdamState;
  rngState: number;
  epochs: EpochRecord[];
}

export interface CheckpointStore {
  load(): Promise<Checkpoint | null>;
  save(checkpoint: Checkpoint): Promise<void>;
}

export interface TrainOptions {
  train: TrainData;
  val: TrainData;
  numClasses: number;
  params: TrainParams;
  /** [height, width, 1]; default [128, 128, 1]. */
  inputShape?: number[];
  onEpoch?: (record: EpochRecord) => void;
  /** Called after each batch with the rows done so far in the epoch. */
  onBatch?: (rowsDone: number, rowsTotal: number) => void;
  checkpoint?: CheckpointStore;
}

export interface TrainResult {
  model: tf.LayersModel;
  history: History;
}

/** Moving-statistics slots of each BatchNormalization layer in the flat weight vector. */
function batchNormSlots(model: tf.LayersModel) {
  const layout = weightLayout(model);
  const index = (w: unknown) => model.weights.indexOf(w as (typeof model.weights)[number]);
  return model.layers
    .filter((l) => l.getClassName() === 'BatchNormalization')
    .map((l) => ({
      mean: layout.offsets[index(l.weights[2])],
      variance: layout.offsets[index(l.weights[3])],
      channels: l.weights[2].shape[0] as number,
      momentum: (l.getConfig() as { momentum: number }).momentum,
    }));
}

/** Split rows into `parts` contiguous shares whose sizes differ by at most one (empty ones dropped). */
function shares(rows: Int32Array, parts: number): Int32Array[] {
  const out: Int32Array[] = [];
  for (let p = 0, start = 0; p < parts; p++) {
    const n = Math.floor(rows.length / parts) + (p < rows.length % parts ? 1 : 0);
    if (n > 0) out.push(rows.subarray(start, start + n));
    start += n;
  }
  return out;
}

function sharedCopy<T extends Float32Array | Int32Array>(parts: T[], make: (b: SharedArrayBuffer) => T): SharedArrayBuffer {
  const total = parts.reduce((a, p) => a + p.length, 0);
  const buffer = new SharedArrayBuffer(total * 4);
  const view = make(buffer);
  let at = 0;
  for (const p of parts) {
    view.set(p, at);
    at += p.length;
  }
  return buffer;
}

let sessions = 0;

export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const { train, val, numClasses, params } = options;
  const inputShape = options.inputShape ?? [128, 128, 1];
  const size = inputShape[0] * inputShape[1] * inputShape[2];
  for (const [name, d] of [
    ['train', train],
    ['val', val],
  ] as const) {
    if (d.x.length !== d.labels.length * size) throw new Error(`trainModel: ${name}.x has ${d.x.length} floats, expected ${d.labels.length} rows of ${size}`);
    const bad = d.labels.findIndex((l) => !(l >= 0 && l < numClasses));
    if (bad >= 0) throw new Error(`trainModel: ${name} label ${d.labels[bad]} at row ${bad} is outside 0..${numClasses - 1}`);
  }
  if (train.labels.length === 0) throw new Error('trainModel: no training rows');

  const backend = await initBackend(params.backend);
  const model = buildModel(params, numClasses, inputShape);
  const layout = weightLayout(model);
  const runs = trainableRuns(layout);
  const slots = batchNormSlots(model);
  // Native TensorFlow threads its own kernels; wasm and cpu run one thread per worker.
  const workers = backend === 'tensorflow' ? 1 : params.workers || availableParallelism();

  const nTrain = train.labels.length;
  const session: Session = {
    id: `${process.pid}-${++sessions}-${Date.now()}`,
    backend: params.backend,
    model: params,
    numClasses,
    inputShape,
    x: sharedCopy([train.x, val.x], (b) => new Float32Array(b)),
    labels: sharedCopy([train.labels, val.labels], (b) => new Int32Array(b)),
    freqShift: params.freqShift,
    specAugment: params.specAugment,
    labelSmoothing: params.labelSmoothing,
    mixup: params.mixup,
  };
  const valRows = Int32Array.from(val.labels, (_, i) => nTrain + i);

  const state: Checkpoint = (await options.checkpoint?.load()) ?? {
    epoch: 0,
    weights: getFlatWeights(model),
    best: getFlatWeights(model),
    bestEpoch: 0,
    bestValLoss: Infinity,
    wait: 0,
    learningRate: params.learningRate,
    adam: adamState(layout.trainableSize),
    rngState: new Rng(params.seed ^ 0x5eed5eed).state,
    epochs: [],
  };
  if (state.weights.length !== layout.size) throw new Error('trainModel: the checkpoint does not match this model');
  const rng = new Rng(state.rngState);
  let trainSeconds = 0;
  let trainSamples = 0;
  let stoppedEarly = false;
  const sampler = epochSampler(train, params.variantsPerEpoch);
  await withPool(
    new URL('./train-worker.ts', import.meta.url),
    async (pool) => {
      for (let epoch = state.epoch + 1; epoch <= params.epochs; epoch++) {
        const started = performance.now();
        if (params.lrSchedule === 'cosine') state.learningRate = cosineLearningRate(params.learningRate, epoch, params.epochs);
        if (params.lrSchedule === 'one-cycle') state.learningRate = oneCycleLearningRate(params.learningRate, epoch, params.epochs);
        const order = sampler.draw(rng);
        const epochSize = order.length;
        let lossSum = 0;
        let correct = 0;
        for (let start = 0; start < epochSize; start += params.batchSize) {
          const rows = order.subarray(start, Math.min(epochSize, start + params.batchSize));
          const parts = shares(rows, workers);
          const seeds = parts.map(() => rng.nextSeed());
          const results = await Promise.all(parts.map((p, i) => pool.call<GradResult>('gradients', [session, state.weights, p, seeds[i]])));
          const grad = new Float32Array(layout.trainableSize);
          for (const r of results) {
            for (let i = 0; i < grad.length; i++) grad[i] += r.grad[i];
            lossSum += r.loss;
            correct += r.correct;
          }
          for (let i = 0; i < grad.length; i++) grad[i] /= rows.length;
          adamUpdate(state.weights, runs, grad, state.adam, state.learningRate, params.weightDecay);
          updateMovingStats(state.weights, slots, results, parts, state.adam.step);
          options.onBatch?.(start + rows.length, epochSize);
        }
        const stepsDone = performance.now();
        trainSeconds += (stepsDone - started) / 1000;
        await preciseBatchNorm(pool, session, state.weights, slots, order.subarray(0, PRECISE_BN_ROWS), Math.ceil(params.batchSize / workers));
        const preciseBnSeconds = (performance.now() - stepsDone) / 1000;
        trainSamples += epochSize;
        const { loss: valLoss, accuracy: valAccuracy } = await evaluate(pool, session, state.weights, valRows, val.labels, numClasses, workers);
        const seconds = (performance.now() - started) / 1000;
        const record: EpochRecord = {
          epoch,
          loss: lossSum / epochSize,
          accuracy: correct / epochSize,
          valLoss,
          valAccuracy,
          learningRate: state.learningRate,
          samplesPerSec: epochSize / ((stepsDone - started) / 1000),
          preciseBnSeconds,
          seconds,
          etaSeconds: seconds * (params.epochs - epoch),
        };
        state.epochs.push(record);
        // Without validation rows the last weights are kept; otherwise the lowest validation loss wins.
        if (valRows.length === 0 || valLoss < state.bestValLoss) {
          state.bestValLoss = valRows.length === 0 ? NaN : valLoss;
          state.best = state.weights.slice();
          state.bestEpoch = epoch;
          state.wait = 0;
        } else {
          state.wait += 1;
          // Every `patience` epochs without a new best (Keras' counter restarts at each reduction).
          const { factor, patience, min } = params.lrPlateau;
          if (params.lrSchedule === 'plateau' && patience > 0 && state.wait % patience === 0) state.learningRate = Math.max(min, state.learningRate * factor);
        }
        state.epoch = epoch;
        state.rngState = rng.state;
        options.onEpoch?.(record);
        await options.checkpoint?.save(state);
        if (params.patience > 0 && valRows.length > 0 && state.wait >= params.patience) {
          stoppedEarly = true;
          break;
        }
      }
    },
    workers,
  );
  setFlatWeights(model, params.restoreBestWeights ? state.best : state.weights);
  const history: History = {
    epochs: state.epochs,
    bestEpoch: params.restoreBestWeights ? state.bestEpoch : state.epoch,
    stoppedEarly,
    backend,
    workers,
    samplesPerSec: trainSeconds > 0 ? trainSamples / trainSeconds : NaN,
  };
  return { model, history };
}

/** The learning rate of 1-based `epoch` of `epochs` under train.lrSchedule `cosine`. */
export function cosineLearningRate(initial: number, epoch: number, epochs: number): number {
  return cosineRamp(initial, 0, (epoch - 1) / epochs);
}

/** From `from` (at share 0) to `to` (at share 1) along half a cosine. */
function cosineRamp(from: number, to: number, share: number): number {
  return to + 0.5 * (from - to) * (1 + Math.cos(Math.PI * share));
}

/**
 * The learning rate of 1-based `epoch` of `epochs` under train.lrSchedule `one-cycle` (Smith & Topin
 * 2019; PyTorch's OneCycleLR with its defaults, per epoch): over the first `warmUp` (0.3) of the epochs
 * up from peak/`divFactor` (25) to `peak` along half a cosine, then down to peak/(divFactor·`finalDivFactor`
 * (1e4)) the same way; epoch e sits at share (e − 1)/epochs of the run, as in `cosine`.
 */
export function oneCycleLearningRate(peak: number, epoch: number, epochs: number, warmUp = 0.3, divFactor = 25, finalDivFactor = 1e4): number {
  const share = (epoch - 1) / epochs;
  const start = peak / divFactor;
  if (share < warmUp) return cosineRamp(start, peak, share / warmUp);
  return cosineRamp(peak, start / finalDivFactor, (share - warmUp) / (1 - warmUp));
}

/**
 * Moving averages of the full batch's moments, pooled from the shares: mean = Σ nᵢmᵢ / n,
 * variance = Σ nᵢ(vᵢ + (mᵢ − mean)²) / n. Keras updates moving ← m·moving + (1 − m)·batch from the
 * initial mean 0 / variance 1, so after t steps the initial value still weighs mᵗ (0.99³⁰ ≈ 0.74
 * after an epoch of 30 batches): on small data the inference statistics stay far off (a first-layer
 * variance of 0.4 against a batch variance of 0.01 after 3 epochs of RAVDESS) and validation loss
 * climbs while training loss falls. Here the average is bias-corrected as in Adam: the EMA started
 * from 0 divided by 1 − mᵗ, i.e. moving ← moving + (1 − m)/(1 − mᵗ)·(batch − moving) (t = 1 takes
 * the batch moments). Same limit as Keras, without the start-up bias; train.batchNormMomentum
 * (default 0.9) also shortens the lag behind the changing weights.
 */
function updateMovingStats(
  weights: Float32Array,
  slots: ReturnType<typeof batchNormSlots>,
  results: Array<Pick<GradResult, 'stats'>>,
  parts: Int32Array[],
  step: number,
): void {
  const n = parts.reduce((a, p) => a + p.length, 0);
  let at = 0;
  for (const slot of slots) {
    const C = slot.channels;
    for (let c = 0; c < C; c++) {
      let mean = 0;
      results.forEach((r, i) => (mean += parts[i].length * r.stats[at + c]));
      mean /= n;
      let variance = 0;
      results.forEach((r, i) => (variance += parts[i].length * (r.stats[at + C + c] + (r.stats[at + c] - mean) ** 2)));
      variance /= n;
      const k = (1 - slot.momentum) / (1 - slot.momentum ** step);
      weights[slot.mean + c] += k * (mean - weights[slot.mean + c]);
      weights[slot.variance + c] += k * (variance - weights[slot.variance + c]);
    }
    at += 2 * C;
  }
}

/** Training rows whose batch statistics replace the moving averages after each epoch. */
const PRECISE_BN_ROWS = 512;

/**
 * "Precise BN" (Wu & Johnson 2021, §3; torch.optim.swa_utils.update_bn): after an epoch, the moving
 * statistics become the pooled batch statistics of up to 512 training rows under the final weights
 * (training-mode forward, no dropout). On RAVDESS-sized runs the weights move faster than any moving
 * average follows: at epoch 4 the inference-mode accuracy on training rows was 0.20 against 0.53 with
 * batch statistics, so validation loss (and early stopping) judged a mis-normalised network.
 */
async function preciseBatchNorm(
  pool: WorkerPool,
  session: Session,
  weights: Float32Array,
  slots: ReturnType<typeof batchNormSlots>,
  rows: Int32Array,
  chunk: number,
): Promise<void> {
  if (slots.length === 0 || rows.length === 0) return;
  const chunks: Int32Array[] = [];
  // Chunks of one worker's share: the statistics the layers were trained with.
  for (let s = 0; s < rows.length; s += chunk) chunks.push(rows.subarray(s, s + chunk));
  const stats = await Promise.all(chunks.map((c) => pool.call<Float32Array>('batchStats', [session, weights, c])));
  // Pooled with step 1: the moving values are replaced by the pooled moments.
  updateMovingStats(
    weights,
    slots,
    stats.map((s) => ({ stats: s })),
    chunks,
    1,
  );
}

/** Mean cross-entropy and accuracy of `rows`, in batches of 32 spread over the workers. */
async function evaluate(
  pool: WorkerPool,
  session: Session,
  weights: Float32Array,
  rows: Int32Array,
  labels: Int32Array,
  numClasses: number,
  workers: number,
): Promise<{ loss: number; accuracy: number }> {
  if (rows.length === 0) return { loss: NaN, accuracy: NaN };
  const probs = await predictRows(pool, session, weights, rows, workers);
  return scoreProbabilities(probs, labels, numClasses);
}

export async function predictRows(pool: WorkerPool, session: Session, weights: Float32Array, rows: Int32Array, workers: number): Promise<Float32Array[]> {
  const chunk = Math.max(1, Math.min(32, Math.ceil(rows.length / workers)));
  const chunks: Int32Array[] = [];
  for (let s = 0; s < rows.length; s += chunk) chunks.push(rows.subarray(s, s + chunk));
  return Promise.all(chunks.map((c) => pool.call<Float32Array>('probabilities', [session, weights, c])));
}

/** Mean cross-entropy (probabilities clipped at 1e-7, as Keras) and top-1 accuracy. */
function scoreProbabilities(chunks: Float32Array[], labels: Int32Array, numClasses: number): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  let row = 0;
  for (const p of chunks)
    for (let i = 0; i < p.length / numClasses; i++, row++) {
      const base = i * numClasses;
      let arg = 0;
      for (let c = 1; c < numClasses; c++) if (p[base + c] > p[base + arg]) arg = c;
      if (arg === labels[row]) correct++;
      loss -= Math.log(Math.max(1e-7, p[base + labels[row]]));
    }
  return { loss: loss / row, accuracy: correct / row };
}
