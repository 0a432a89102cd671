/** Adam and AdamW on flat arrays against a float64 reference of the documented update; which weights decay. */
import { describe, expect, it } from 'vitest';
import { adamState, adamUpdate, type TrainableRun } from '../src/adam.ts';
import { buildModel } from '../src/model.ts';
import { trainParams } from '../src/params.ts';
import { trainableRuns, weightLayout } from '../src/weights.ts';

/** The update in float64, written from the formulas: w ← w − lr·λ·w (decayed runs), then the bias-corrected Adam step. */
function reference(weights: number[], runs: TrainableRun[], grads: number[][], lr: number, lambda: number): number[] {
  const [b1, b2, eps] = [0.9, 0.999, 1e-7];
  const w = weights.slice();
  const trainable = runs.flatMap((r) => Array.from({ length: r.length }, (_, k) => ({ at: r.offset + k, decay: r.decay })));
  const m = trainable.map(() => 0);
  const v = trainable.map(() => 0);
  grads.forEach((g, step) => {
    const t = step + 1;
    const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    trainable.forEach(({ at, decay }, j) => {
      if (decay) w[at] -= lr * lambda * w[at];
      m[j] = b1 * m[j] + (1 - b1) * g[j];
      v[j] = b2 * v[j] + (1 - b2) * g[j] ** 2;
      w[at] -= (lrT * m[j]) / (Math.sqrt(v[j]) + eps);
    });
  });
  return w;
}

// Six floats: a decayed run of 3 (a kernel), a frozen float, a run of 2 that does not decay (a bias).
const runs: TrainableRun[] = [
  { offset: 0, length: 3, decay: true },
  { offset: 4, length: 2, decay: false },
];
const initial = [0.5, -1.2, 2.0, 7.0, 0.3, -0.4];
const grads = [
  [0.1, -0.2, 0.05, 0.3, -0.1],
  [-0.05, 0.4, 0.0, 0.2, 0.1],
  [0.2, 0.1, -0.3, -0.1, 0.05],
];

function run(lr: number, lambda: number): Float32Array {
  const w = Float32Array.from(initial);
  const state = adamState(5);
  for (const g of grads) adamUpdate(w, runs, Float32Array.from(g), state, lr, lambda);
  return w;
}

describe('adamUpdate', () => {
  it('matches the float64 reference with and without weight decay (float32 state: 1e-6)', () => {
    for (const lambda of [0, 0.05]) {
      const got = run(1e-2, lambda);
      reference(initial, runs, grads, 1e-2, lambda).forEach((want, i) => expect(got[i], `λ ${lambda}, weight ${i}`).toBeCloseTo(want, 6));
    }
  });

  it('weight decay moves the decayed run only, towards zero, and leaves frozen weights alone', () => {
    const plain = run(1e-2, 0);
    const decayed = run(1e-2, 0.5);
    for (const i of [0, 1, 2]) expect(Math.abs(decayed[i])).toBeLessThan(Math.abs(plain[i]));
    for (const i of [3, 4, 5]) expect(decayed[i]).toBe(plain[i]);
    expect(decayed[3]).toBe(initial[3]);
  });

  it('with zero gradients a step is the decay alone: w·(1 − lr·λ)', () => {
    const w = Float32Array.from(initial);
    adamUpdate(w, runs, new Float32Array(5), adamState(5), 0.1, 0.2);
    expect(Array.from(w)).toEqual(Array.from(Float32Array.from(initial, (x, i) => (i < 3 ? Math.fround(x * (1 - 0.1 * 0.2)) : x))));
  });
});

describe('trainableRuns', () => {
  it('decays the kernels of the CNN (convolutions and dense layers), not biases or batch-norm weights', () => {
    const model = buildModel(trainParams.parse({ filters: [4, 8] }), 3, [16, 16, 1]);
    const runs = trainableRuns(weightLayout(model));
    const trainable = model.weights.filter((w) => w.trainable);
    expect(runs.length).toBe(trainable.length);
    runs.forEach((r, i) => expect(r.decay, trainable[i].name).toBe(trainable[i].name.endsWith('kernel')));
    expect(runs.filter((r) => r.decay).length).toBe(4);
  });
});
