/**
 * The training-mode forward pass of a layers model, op by op, so that training controls what
 * tfjs-layers' `apply(x, {training: true})` hides: dropout masks from a seeded generator (the same
 * seed gives the same masks), batch norm through the fused kernels where the backend has them, and
 * the batch statistics handed back so the caller updates the moving averages. Weights are the
 * model's own variables, so `tf.variableGrads` sees them. Covers the layer types of `buildModel`.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from './kernels/batch_norm_train.ts';
import { RELU_BIAS_GRAD } from './kernels/relu_bias_grad.ts';
import { attentionPooling, type AttentionPooling } from './layers/attention-pooling.ts';
import { statisticsPooling, type StatisticsPooling } from './layers/statistics-pooling.ts';
import { Rng } from './rng.ts';

export interface BatchStats {
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

export interface TrainingForward {
  /** Pre-softmax outputs of the last Dense layer. */
  logits: tf.Tensor2D;
  /** Batch mean and (biased) variance of each BatchNormalization layer, in layer order. These are
   *  kept tensors (they outlive tidy scopes such as variableGrads'): the caller disposes them. */
  stats: BatchStats[];
}

// tfjs types getConfig() loosely (ConfigDict); each case below reads the fields its layer class has.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Config = Record<string, any>;

/** Batch norm over all but the last axis, with its batch moments (kept tensors: the caller disposes them). */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): { y: tf.Tensor } & BatchStats {
  if (!tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend())) {
    const axes = x.shape.map((_, i) => i).slice(0, -1);
    const { mean, variance } = tf.moments(x, axes);
    const y = tf.batchNorm(x, mean, variance, beta, gamma, epsilon);
    return { y, mean: tf.keep(mean) as tf.Tensor1D, variance: tf.keep(variance) as tf.Tensor1D };
  }
  let stats: BatchStats | undefined;
  const op = tf.customGrad((...args: unknown[]) => {
    const [xi, g, b, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x: xi, gamma: g, beta: b }, { epsilon }) as tf.Tensor[];
    // The forward function runs in its own tidy scope: keep the moments it doesn't return.
    stats = { mean: tf.keep(mean) as tf.Tensor1D, variance: tf.keep(variance) as tf.Tensor1D };
    save([xi, mean, variance, g]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, smean, svar, sg] = saved;
        return tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { dy, x: sx, mean: smean, variance: svar, gamma: sg }, { epsilon }) as tf.Tensor[];
      },
    };
  });
  const y = op(x, gamma, beta) as tf.Tensor;
  return { y, ...stats! };
}

export interface ConvAttrs {
  strides: [number, number];
  pad: 'same' | 'valid';
  dilations: [number, number];
}

/**
 * relu(conv2d(x, filter) + bias) with one fused forward kernel (XNNPACK applies bias and ReLU in its
 * GEMM) and a fused backward (SerReluBiasGrad: dz = dy·[y > 0] and Σdz in two passes, then the conv
 * gradients of dz). Under a gradient tape tf.fused.conv2d runs unfused instead: conv, Add and Relu
 * forward, Step, Cast, Multiply and Sum backward, each a full pass over the activations.
 * `inputGrad` false (x is data): no gradient w.r.t. x is computed.
 */
export function convBiasRelu(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, conv: ConvAttrs, inputGrad: boolean): tf.Tensor4D {
  const attrs = { strides: conv.strides, pad: conv.pad, dilations: conv.dilations, dataFormat: 'NHWC' as const };
  if (!tf.getKernel(RELU_BIAS_GRAD, tf.getBackend())) return tf.fused.conv2d({ x, filter, bias, ...attrs, activation: 'relu' });
  const op = tf.customGrad((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [f, b] = args.slice(inputGrad ? 1 : 0) as [tf.Tensor4D, tf.Tensor1D];
    const y = tf.engine().runKernel('FusedConv2D', { x, filter: f, bias: b }, { ...attrs, activation: 'relu' }) as tf.Tensor4D;
    save([x, f, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sf, sy] = saved;
        const [dz, db] = tf.engine().runKernel(RELU_BIAS_GRAD, { dy, y: sy }) as tf.Tensor[];
        const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: sx, dy: dz }, { ...attrs, filterShape: sf.shape }) as tf.Tensor;
        if (!inputGrad) return [dw, db];
        const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy: dz, filter: sf }, { ...attrs, inputShape: sx.shape }) as tf.Tensor;
        return [dx, dw, db];
      },
    };
  });
  return (inputGrad ? op(x, filter, bias) : op(filter, bias)) as tf.Tensor4D;
}

/** Inverted dropout (Srivastava et al. 2014): keep with probability 1 − rate, scale by 1 / (1 − rate). */
function dropout(x: tf.Tensor, rate: number, rng: Rng): tf.Tensor {
  if (rate === 0) return x;
  const keep = 1 - rate;
  const mask = new Float32Array(x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < keep ? 1 / keep : 0;
  return tf.mul(x, tf.tensor(mask, x.shape));
}

const variable = (layer: tf.layers.Layer, i: number) => (layer.weights[i] as unknown as { read(): tf.Variable }).read();

function activation(name: string | undefined): tf.fused.Activation | 'linear' {
  if (name === undefined || name === 'linear' || name === 'relu') return (name ?? 'linear') as 'linear' | 'relu';
  throw new Error(`training forward: activation '${name}' is not supported`);
}

/** `dropoutSeed` null: no dropout (batch statistics only, for re-estimating the moving averages). */
export function forwardTraining(model: tf.LayersModel, x: tf.Tensor4D, dropoutSeed: number | null): TrainingForward {
  const rng = dropoutSeed === null ? null : new Rng(dropoutSeed);
  const stats: BatchStats[] = [];
  const last = model.layers.length - 1;
  let h: tf.Tensor = x;
  model.layers.forEach((layer, index) => {
    const c = layer.getConfig() as Config;
    switch (layer.getClassName()) {
      case 'Conv2D':
        if (c.useBias && c.activation === 'relu') {
          const conv = { strides: c.strides, pad: c.padding, dilations: c.dilationRate };
          h = convBiasRelu(h as tf.Tensor4D, variable(layer, 0) as tf.Tensor4D, variable(layer, 1) as tf.Tensor1D, conv, h !== x);
          break;
        }
        h = tf.fused.conv2d({
          x: h as tf.Tensor4D,
          filter: variable(layer, 0) as tf.Tensor4D,
          bias: c.useBias ? variable(layer, 1) : undefined,
          strides: c.strides,
          pad: c.padding,
          dilations: c.dilationRate,
          activation: activation(c.activation),
        });
        break;
      case 'BatchNormalization': {
        const r = batchNormTrain(h, variable(layer, 0) as tf.Tensor1D, variable(layer, 1) as tf.Tensor1D, c.epsilon);
        stats.push({ mean: r.mean, variance: r.variance });
        h = r.y;
        break;
      }
      case 'MaxPooling2D':
        h = tf.maxPool(h as tf.Tensor4D, c.poolSize, c.strides, c.padding);
        break;
      case 'Dropout':
        if (rng) h = dropout(h, c.rate, rng);
        break;
      case 'GlobalAveragePooling2D':
        h = tf.mean(h, [1, 2]);
        break;
      case 'StatisticsPooling':
        h = statisticsPooling(h as tf.Tensor4D, (layer as StatisticsPooling).epsilon);
        break;
      case 'AttentionPooling': {
        const [kernel, bias, context] = [0, 1, 2].map((i) => variable(layer, i));
        h = attentionPooling(h as tf.Tensor4D, kernel as tf.Tensor2D, bias as tf.Tensor1D, context as tf.Tensor2D, (layer as AttentionPooling).epsilon);
        break;
      }
      case 'Dense': {
        // The last layer's softmax is left to the loss (softmax cross-entropy on logits is stable).
        const act = index === last && c.activation === 'softmax' ? 'linear' : activation(c.activation);
        h = tf.fused.matMul({ a: h as tf.Tensor2D, b: variable(layer, 0) as tf.Tensor2D, bias: c.useBias ? variable(layer, 1) : undefined, activation: act });
        break;
      }
      default:
        throw new Error(`training forward: layer type '${layer.getClassName()}' (${layer.name}) is not supported`);
    }
  });
  return { logits: h as tf.Tensor2D, stats };
}
