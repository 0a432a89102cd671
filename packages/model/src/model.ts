/**
 * The CNN of the original Keras project: per filter count f (default 32, 64, 128)
 * Conv2D(f, k×k, 'same', ReLU) → BatchNormalization(momentum batchNormMomentum) → MaxPooling2D(2×2) →
 * Dropout(convDropout);
 * then GlobalAveragePooling2D (`pooling: average`), StatisticsPooling (`statistics`: mean and std
 * over time per band and channel, layers/statistics-pooling.ts) or AttentionPooling (`attention`: the
 * same with learned frame weights, layers/attention-pooling.ts; either followed by BatchNormalization)
 * → Dense(denseUnits, ReLU) → Dropout(denseDropout) → Dense(classes, softmax).
 * 'same' padding keeps 128 → 64 → 32 → 16 (the Keras default would be 'valid'; the PyTorch peer
 * benchmark uses 'same'). Kernels use glorot-uniform initialisers seeded from `params.seed`,
 * so the same seed gives the same initial weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainParams } from './params.ts';
import { AttentionPooling, type Initializer } from './layers/attention-pooling.ts';
import { StatisticsPooling } from './layers/statistics-pooling.ts';
import { Rng } from './rng.ts';

export type ModelParams = Pick<
  TrainParams,
  'seed' | 'filters' | 'kernelSize' | 'convDropout' | 'batchNormMomentum' | 'denseUnits' | 'denseDropout' | 'pooling'
>;

function pooling(kind: ModelParams['pooling'], init: () => Initializer): tf.layers.Layer {
  if (kind === 'statistics') return new StatisticsPooling();
  if (kind === 'attention') return new AttentionPooling({ kernelInitializer: init(), contextInitializer: init() });
  return tf.layers.globalAveragePooling2d({});
}

export function buildModel(params: ModelParams, numClasses: number, inputShape: number[] = [128, 128, 1]): tf.Sequential {
  if (!(numClasses >= 2)) throw new Error(`buildModel: numClasses must be >= 2, got ${numClasses}`);
  const rng = new Rng(params.seed);
  const init = () => tf.initializers.glorotUniform({ seed: rng.nextSeed() });
  const model = tf.sequential();
  params.filters.forEach((filters, i) => {
    model.add(
      tf.layers.conv2d({
        ...(i === 0 ? { inputShape } : {}),
        filters,
        kernelSize: params.kernelSize,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
      }),
    );
    model.add(tf.layers.batchNormalization({ momentum: params.batchNormMomentum }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.dropout({ rate: params.convDropout }));
  });
  model.add(pooling(params.pooling, init));
  // Pooled statistics are thousands of correlated, mostly positive features (the std all are): with
  // them raw, Adam's first steps move every dense unit's pre-activation the same way at once and the
  // ReLUs die (training stayed at chance on RAVDESS). Batch norm centres them, as ECAPA-TDNN does
  // after its attentive statistics pooling (Desplanques et al. 2020, §2.3).
  if (params.pooling !== 'average') model.add(tf.layers.batchNormalization({ momentum: params.batchNormMomentum }));
  model.add(tf.layers.dense({ units: params.denseUnits, activation: 'relu', kernelInitializer: init() }));
  model.add(tf.layers.dropout({ rate: params.denseDropout }));
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax', kernelInitializer: init() }));
  return model;
}
