/**
 * Worker side of data-parallel training (run through @ser/core's worker pool): each call carries
 * the current weights and the rows to use, so any worker can serve any call; the model and the
 * shared data views are set up once per session.
 */
import * as tf from '@tensorflow/tfjs';
import type { Backend } from './params.ts';
import { initBackend } from './backend.ts';
import { forwardTraining } from './forward.ts';
import { buildModel, type ModelParams } from './model.ts';
import { frequencyShift } from './freq-shift.ts';
import { mixedTargets, mixup } from './mixup.ts';
import { Rng } from './rng.ts';
import { specAugment, type SpecAugmentParams } from './spec-augment.ts';
import { setFlatWeights } from './weights.ts';

export interface Session {
  id: string;
  backend: Backend;
  model: ModelParams;
  numClasses: number;
  /** [height, width, 1] */
  inputShape: number[];
  /** float32 [rows, height·width], standardised. */
  x: SharedArrayBuffer;
  /** int32 [rows] class indices. */
  labels: SharedArrayBuffer;
  /** Largest random frequency shift of training tensors, in bands (train.freqShift; gradient steps only). */
  freqShift: number;
  /** Masking of training tensors (gradient steps only). */
  specAugment: SpecAugmentParams;
  /** ε of the training loss's smoothed targets (train.labelSmoothing). */
  labelSmoothing: number;
  /** mixup's α (train.mixup); 0 = off. */
  mixup: number;
}

export interface GradResult {
  /** Sum over the rows of the (label-smoothed) cross-entropy, and of correct top-1 predictions. */
  loss: number;
  correct: number;
  /** Gradient of the summed loss w.r.t. the trainable weights (flat, model.weights order). */
  grad: Float32Array;
  /** Per BatchNormalization layer: batch mean then batch variance ([2·channels] each, concatenated). */
  stats: Float32Array;
}

let current: { id: string; model: tf.LayersModel; x: Float32Array; labels: Int32Array; backend: string } | null = null;

async function open(session: Session) {
  if (current?.id === session.id) return current;
  if (current) current.model.dispose();
  const backend = await initBackend(session.backend);
  const model = buildModel(session.model, session.numClasses, session.inputShape);
  current = { id: session.id, model, x: new Float32Array(session.x), labels: new Int32Array(session.labels), backend };
  return current;
}

/** The rows' tensors, row-major. */
function gather(s: NonNullable<typeof current>, rows: Int32Array, size: number): Float32Array {
  const data = new Float32Array(rows.length * size);
  rows.forEach((r, i) => data.set(s.x.subarray(r * size, (r + 1) * size), i * size));
  return data;
}

const asBatch = (data: Float32Array, rows: number, inputShape: number[]) => tf.tensor4d(data, [rows, inputShape[0], inputShape[1], inputShape[2]]);

/** The rows as a batch tensor (inputShape [bands, frames, 1]). */
const batch = (s: NonNullable<typeof current>, rows: Int32Array, inputShape: number[]) =>
  asBatch(gather(s, rows, inputShape[0] * inputShape[1] * inputShape[2]), rows.length, inputShape);

/** The shifts', masks' and mixup's generators: their own streams, so dropout masks stay what they were with them off. */
const SHIFT_STREAM = 0xf5e1f7;
const MASK_STREAM = 0x5ec0a06;
const MIXUP_STREAM = 0x31c0b;

/** `seed` drives this step's dropout, frequency shifts, SpecAugment masks and mixup. */
export async function gradients(session: Session, weights: Float32Array, rows: Int32Array, seed: number): Promise<GradResult> {
  const s = await open(session);
  setFlatWeights(s.model, weights);
  const vars = s.model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
  const labels = Int32Array.from(rows, (r) => s.labels[r]);
  // variableGrads runs the forward pass in its own tidy scope: what we read after it is kept there.
  const kept: tf.Tensor[] = [];
  const [bands, frames, channels] = session.inputShape;
  const data = gather(s, rows, bands * frames * channels);
  frequencyShift(data, rows.length, bands, frames * channels, session.freqShift, new Rng(seed ^ SHIFT_STREAM));
  specAugment(data, rows.length, bands, frames * channels, session.specAugment, new Rng(seed ^ MASK_STREAM));
  const mixed = session.mixup > 0 ? mixup(data, rows.length, bands * frames * channels, session.mixup, new Rng(seed ^ MIXUP_STREAM)) : null;
  const out = tf.tidy(() => {
    const x = asBatch(data, rows.length, session.inputShape);
    const y = tf.tensor1d(labels, 'int32');
    const targets = mixed ? tf.tensor2d(mixedTargets(labels, mixed, session.numClasses), [rows.length, session.numClasses]) : tf.oneHot(y, session.numClasses);
    const { value, grads } = tf.variableGrads(() => {
      const f = forwardTraining(s.model, x, seed);
      kept.push(tf.keep(tf.argMax(f.logits, 1)), ...f.stats.flatMap((b) => [b.mean, b.variance]));
      return tf.losses.softmaxCrossEntropy(targets, f.logits, undefined, session.labelSmoothing, tf.Reduction.SUM) as tf.Scalar;
    }, vars);
    const grad = tf.concat(vars.map((v) => grads[v.name].reshape([-1])));
    const correct = tf.equal(kept[0], y).sum();
    return { value, grad, correct, stats: tf.concat(kept.slice(1)) };
  });
  tf.dispose(kept);
  const result: GradResult = {
    loss: (await out.value.data())[0],
    correct: (await out.correct.data())[0],
    grad: (await out.grad.data()) as Float32Array,
    stats: (await out.stats.data()) as Float32Array,
  };
  tf.dispose(out);
  return result;
}

/** Per BatchNormalization layer, the batch mean then variance of `rows` (training-mode, no dropout). */
export async function batchStats(session: Session, weights: Float32Array, rows: Int32Array): Promise<Float32Array> {
  const s = await open(session);
  setFlatWeights(s.model, weights);
  const out = tf.tidy(() => {
    const f = forwardTraining(s.model, batch(s, rows, session.inputShape), null);
    const flat = tf.concat(f.stats.flatMap((b) => [b.mean, b.variance]));
    tf.dispose(f.stats.flatMap((b) => [b.mean, b.variance]));
    return flat;
  });
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

/** Class probabilities [rows, classes] in inference mode (moving batch-norm statistics, no dropout). */
export async function probabilities(session: Session, weights: Float32Array, rows: Int32Array): Promise<Float32Array> {
  const s = await open(session);
  setFlatWeights(s.model, weights);
  const p = tf.tidy(() => s.model.predict(batch(s, rows, session.inputShape)) as tf.Tensor);
  const out = (await p.data()) as Float32Array;
  p.dispose();
  return out;
}

/** The backend a worker runs (after its first call). */
export async function backendOf(session: Session): Promise<string> {
  return (await open(session)).backend;
}
