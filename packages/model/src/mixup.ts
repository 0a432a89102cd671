/**
 * mixup (Zhang et al., "mixup: Beyond Empirical Risk Minimization", ICLR 2018, eq. 1): a gradient
 * step trains on x̃ = λ·xᵢ + (1 − λ)·xⱼ with targets ỹ = λ·yᵢ + (1 − λ)·yⱼ, one λ ~ Beta(α, α) per
 * step and j a random permutation of the step's rows (the paper's one-batch form).
 */
import type { Rng } from './rng.ts';

/** A standard normal draw (Box–Muller). */
function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** A Gamma(shape, 1) draw: Marsaglia & Tsang (2000), "A simple method for generating gamma variables", with the shape < 1 boost (their §6). */
export function gammaSample(shape: number, rng: Rng): number {
  if (shape < 1) return gammaSample(shape + 1, rng) * (1 - rng.next()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal(rng);
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A Beta(α, β) draw as X/(X + Y) of Gamma(α) and Gamma(β) draws. */
export function betaSample(alpha: number, beta: number, rng: Rng): number {
  const x = gammaSample(alpha, rng);
  return x / (x + gammaSample(beta, rng));
}

/**
 * Mixes the `count` rows of `size` floats of `x` in place with a random partner each; returns λ and
 * the partners, whose one-hot targets the caller mixes with the same λ.
 */
export function mixup(x: Float32Array, count: number, size: number, alpha: number, rng: Rng): { lambda: number; partner: Int32Array } {
  const lambda = betaSample(alpha, alpha, rng);
  const partner = rng.permutation(count);
  const source = x.slice(0, count * size);
  for (let i = 0; i < count; i++) {
    const a = i * size;
    const b = partner[i] * size;
    for (let k = 0; k < size; k++) x[a + k] = lambda * source[a + k] + (1 - lambda) * source[b + k];
  }
  return { lambda, partner };
}

/** The targets of mixed rows: λ·one-hot(labelᵢ) + (1 − λ)·one-hot(label of i's partner), row-major [rows, classes]. */
export function mixedTargets(labels: Int32Array, mixed: { lambda: number; partner: Int32Array }, classes: number): Float32Array {
  const targets = new Float32Array(labels.length * classes);
  labels.forEach((label, i) => {
    targets[i * classes + label] += mixed.lambda;
    targets[i * classes + labels[mixed.partner[i]]] += 1 - mixed.lambda;
  });
  return targets;
}
