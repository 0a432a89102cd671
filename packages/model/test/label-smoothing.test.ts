/**
 * train.labelSmoothing on one gradient step (cpu backend, in this process): with targets
 * (1 − ε)·one-hot + ε/K the summed cross-entropy is (1 − ε)·CE + ε·U, U = Σ mean_k(−log p_k), so for
 * the same logits (same weights, rows and dropout seed) loss and gradient are affine in ε.
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../src/model.ts';
import { gradients, type Session } from '../src/train-worker.ts';
import { getFlatWeights } from '../src/weights.ts';
import { CLASSES, SHAPE, synthetic, tinyParams } from './synthetic.ts';

const params = tinyParams({ backend: 'cpu' });
const inputShape = [SHAPE[0], SHAPE[1], 1];
const data = synthetic(6, 3);
const rows = Int32Array.from([0, 1, 2, 3, 4, 5]);

function session(labelSmoothing: number): Session {
  const share = <T extends Float32Array | Int32Array>(a: T) => {
    const b = new SharedArrayBuffer(a.byteLength);
    new Uint8Array(b).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return b;
  };
  return {
    id: `label-smoothing-${labelSmoothing}`,
    backend: 'cpu',
    model: params,
    numClasses: CLASSES,
    inputShape,
    x: share(data.x),
    labels: share(data.labels),
    freqShift: 0,
    specAugment: { freqMasks: 0, freqWidth: 0, timeMasks: 0, timeWidth: 0 },
    labelSmoothing,
    mixup: 0,
  };
}

describe('label smoothing', () => {
  it('makes loss and gradient affine in ε, and changes them', async () => {
    const weights = getFlatWeights(buildModel(params, CLASSES, inputShape));
    const at = async (eps: number) => gradients(session(eps), weights, rows, 11);
    const r0 = await at(0);
    const r1 = await at(0.1);
    const r2 = await at(0.2);
    // float32 sums of six rows: agreement to ~1e-5 relative.
    expect(r2.loss - r0.loss).toBeCloseTo(2 * (r1.loss - r0.loss), 4);
    expect(Math.abs(r1.loss - r0.loss)).toBeGreaterThan(1e-3);
    let change = 0;
    for (let i = 0; i < r0.grad.length; i++) {
      expect(r2.grad[i] - r0.grad[i]).toBeCloseTo(2 * (r1.grad[i] - r0.grad[i]), 4);
      change = Math.max(change, Math.abs(r1.grad[i] - r0.grad[i]));
    }
    expect(change).toBeGreaterThan(1e-4);
  });
});
