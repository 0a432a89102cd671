/**
 * Adam (Kingma & Ba 2015, Algorithm 1 with the bias correction folded into the step size, as
 * tf.keras / tfjs do): lrₜ = lr·√(1−β₂ᵗ)/(1−β₁ᵗ); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 * w ← w − lrₜ·m/(√v + ε). Plain arrays: the state is a few vectors that checkpoint as they are.
 * Defaults β₁ 0.9, β₂ 0.999, ε 1e-7 (Keras). With weight decay λ > 0 it is AdamW (Loshchilov & Hutter
 * 2019, Algorithm 2; PyTorch's and Keras' AdamW): the runs marked `decay` first shrink, w ← w − lr·λ·w.
 */
export interface AdamState {
  step: number;
  m: Float32Array;
  v: Float32Array;
}

export function adamState(size: number): AdamState {
  return { step: 0, m: new Float32Array(size), v: new Float32Array(size) };
}

/** Where a trainable weight sits in the flat vector, and whether weight decay applies to it. */
export interface TrainableRun {
  offset: number;
  length: number;
  decay: boolean;
}

/** Update `weights` (the trainable runs of it) in place with gradient `grad` (trainable floats, in run order). */
export function adamUpdate(
  weights: Float32Array,
  runs: TrainableRun[],
  grad: Float32Array,
  state: AdamState,
  lr: number,
  weightDecay = 0,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon = 1e-7,
): void {
  state.step += 1;
  const t = state.step;
  const lrT = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
  let g = 0;
  for (const { offset, length, decay } of runs) {
    const shrink = decay ? 1 - lr * weightDecay : 1;
    for (let i = offset; i < offset + length; i++, g++) {
      weights[i] *= shrink;
      const m = (state.m[g] = beta1 * state.m[g] + (1 - beta1) * grad[g]);
      const v = (state.v[g] = beta2 * state.v[g] + (1 - beta2) * grad[g] * grad[g]);
      weights[i] -= (lrT * m) / (Math.sqrt(v) + epsilon);
    }
  }
}
