/**
 * Statistics pooling over time (Snyder et al. 2018, x-vectors, §2.1; Okabe et al. 2018): the mean
 * and the standard deviation over the frames of each (mel band, channel) of the last convolution
 * block, where global average pooling keeps only one mean per channel. Bands stay apart, so where
 * in frequency a pattern sits (a low voice's harmonics, say) reaches the dense layers.
 * Input NHWC [batch, bands, frames, channels] → [batch, bands · channels · 2]: per band, the
 * channel means then the channel standard deviations.
 */
import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/**
 * Mean and standard deviation over axis 2 (time); std = √(var + `epsilon`), var the biased
 * (population) variance, so the gradient stays finite on constant frames. Plain tfjs ops: their
 * gradients run on whatever the backend has (tested against cpu on wasm).
 */
export function statisticsPooling(x: tf.Tensor4D, epsilon = 1e-5): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, bands, , channels] = x.shape;
    const mean = tf.mean(x, 2, true);
    const variance = tf.mean(tf.square(tf.sub(x, mean)), 2);
    const std = tf.sqrt(tf.add(variance, epsilon));
    return tf.reshape(tf.concat([tf.squeeze(mean, [2]), std], 2), [batch, bands * channels * 2]);
  });
}

/** The layer of `statisticsPooling`, serialisable with the model (model.json names its class). */
export class StatisticsPooling extends tf.layers.Layer {
  static readonly className = 'StatisticsPooling';
  readonly epsilon: number;

  constructor(args: LayerArgs & { epsilon?: number } = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, bands, , channels] = inputShape as tf.Shape;
    return [batch, (bands as number) * (channels as number) * 2];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return statisticsPooling((Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D, this.epsilon);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(StatisticsPooling);
