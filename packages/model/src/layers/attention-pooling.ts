/**
 * Attentive statistics pooling over time (Okabe, Koshinaka & Shinoda 2018, "Attentive Statistics
 * Pooling for Deep Speaker Embedding", eqs. 1, 2, 5 and 6): statistics pooling (statistics-pooling.ts)
 * with a learned weight per frame, so frames that carry the emotion (a stressed syllable, a laugh)
 * count more than pauses and steady vowels.
 * Input NHWC [batch, bands, frames, channels]; a frame's features h_t are its bands · channels values:
 *   e_t = vᵀ tanh(W h_t + b),  α = softmax over t of e,
 *   μ = Σ_t α_t h_t,  σ = √(Σ_t α_t h_t² − μ² + ε)   (the weighted variance, clamped at 0 before ε).
 * Output [batch, 2 · bands · channels]: μ (band-major, as the frame's features), then σ.
 */
import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
export type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

/**
 * `kernel` W [bands · channels, units], `bias` b [units], `context` v [units, 1]. Plain tfjs ops:
 * their gradients run on whatever the backend has (tested against cpu on wasm).
 */
export function attentionPooling(x: tf.Tensor4D, kernel: tf.Tensor2D, bias: tf.Tensor1D, context: tf.Tensor2D, epsilon = 1e-5): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, bands, frames, channels] = x.shape;
    const features = bands * channels;
    const h = tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [batch, frames, features]);
    const hidden = tf.tanh(tf.add(tf.matMul(tf.reshape(h, [batch * frames, features]), kernel), bias));
    const weights = tf.reshape(tf.softmax(tf.reshape(tf.matMul(hidden, context), [batch, frames])), [batch, frames, 1]);
    const mean = tf.sum(tf.mul(weights, h), 1);
    const variance = tf.relu(tf.sub(tf.sum(tf.mul(weights, tf.square(h)), 1), tf.square(mean)));
    return tf.concat([mean, tf.sqrt(tf.add(variance, epsilon))], 1) as tf.Tensor2D;
  });
}

/** The layer of `attentionPooling`: W, b and v are its weights (in that order); serialisable with the model. */
export class AttentionPooling extends tf.layers.Layer {
  static readonly className = 'AttentionPooling';
  /** Width of the attention's hidden layer (W's columns); Okabe et al. score frames with one such layer. */
  readonly units: number;
  readonly epsilon: number;
  private readonly kernelInitializer: Initializer;
  private readonly contextInitializer: Initializer;

  constructor(args: LayerArgs & { units?: number; epsilon?: number; kernelInitializer?: Initializer; contextInitializer?: Initializer } = {}) {
    super(args);
    this.units = args.units ?? 64;
    this.epsilon = args.epsilon ?? 1e-5;
    this.kernelInitializer = args.kernelInitializer ?? tf.initializers.glorotUniform({});
    this.contextInitializer = args.contextInitializer ?? tf.initializers.glorotUniform({});
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [, bands, , channels] = inputShape as number[];
    this.addWeight('kernel', [bands * channels, this.units], 'float32', this.kernelInitializer);
    this.addWeight('bias', [this.units], 'float32', tf.initializers.zeros());
    this.addWeight('context', [this.units, 1], 'float32', this.contextInitializer);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, bands, , channels] = inputShape as tf.Shape;
    return [batch, (bands as number) * (channels as number) * 2];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [kernel, bias, context] = this.weights.map((w) => w.read());
    return attentionPooling(
      (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D,
      kernel as tf.Tensor2D,
      bias as tf.Tensor1D,
      context as tf.Tensor2D,
      this.epsilon,
    );
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(AttentionPooling);
