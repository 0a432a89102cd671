/**
 * float32 atan2 as numpy computes np.angle on complex64 through glibc's atan2f (fdlibm's
 * e_atan2f.c / s_atanf.c, float arithmetic throughout; Sun Microsystems 1993). It is not correctly
 * rounded, and the phase vocoder's float32 phase accumulator turns a one-ulp angle difference into
 * a visible phase step, so matching librosa means matching these bits.
 */
import { compileWat, instantiate, type WasmMemory } from '@ser/core';

const f = Math.fround;
const ATAN_HI = [4.6364760399e-1, 7.8539812565e-1, 9.8279368877e-1, 1.5707962513].map(f);
const ATAN_LO = [5.012158244e-9, 3.7748947079e-8, 3.447321717e-8, 7.5497894159e-8].map(f);
const AT = [
  3.3333334327e-1, -2.0000000298e-1, 1.4285714924e-1, -1.1111110449e-1, 9.0908870101e-2, -7.6918758452e-2, 6.6610731184e-2,
  -5.8335702866e-2, 4.9768779427e-2, -3.6531571299e-2, 1.6285819933e-2,
].map(f);
const PI = f(3.141592741), PI_LO = f(-8.7422776573e-8), PI_O_2 = f(1.5707963705);

const word = new Float32Array(1);
const bits = new Int32Array(word.buffer);
const bitsOf = (x: number) => ((word[0] = x), bits[0] & 0x7fffffff);

/** fdlibm atanf for x >= 0 (atan2f only calls it on |y/x|); thresholds are its bit tests as numbers. */
function atanf(x: number): number {
  if (x >= 67108864) return f(ATAN_HI[3] + ATAN_LO[3]); // x >= 2^26
  let id = -1;
  if (x >= 0.4375) {
    // Reduce to atan(c) + atan((x - c) / (1 + c x)) with c = 0.5, 1, 1.5 or inf.
    if (x < 0.6875) (id = 0), (x = f(f(2 * x - 1) / f(2 + x))); // 2x is exact
    else if (x < 1.1875) (id = 1), (x = f(f(x - 1) / f(x + 1)));
    else if (x < 2.4375) (id = 2), (x = f(f(x - 1.5) / f(1 + f(1.5 * x))));
    else (id = 3), (x = f(-1 / x));
  } else if (x < 2.44140625e-4) return x; // x < 2^-12
  const z = f(x * x), w = f(z * z);
  const s1 = f(z * f(AT[0] + f(w * f(AT[2] + f(w * f(AT[4] + f(w * f(AT[6] + f(w * f(AT[8] + f(w * AT[10])))))))))));
  const s2 = f(w * f(AT[1] + f(w * f(AT[3] + f(w * f(AT[5] + f(w * f(AT[7] + f(w * AT[9])))))))));
  if (id < 0) return f(x - f(x * f(s1 + s2)));
  return f(ATAN_HI[id] - f(f(f(x * f(s1 + s2)) - ATAN_LO[id]) - x));
}

/** atan2f(y, x) for finite float32 inputs (STFT values are finite). */
export function atan2f(y: number, x: number): number {
  if (y === 0 || x === 0) return atan2Zero(y, x);
  if (x === 1) return y < 0 ? -atanf(-y) : atanf(y); // atanf is odd
  const ax = Math.abs(x), ay = Math.abs(y);
  let z: number;
  if (ay < ax * 33554432 && ax < ay * 33554432) z = atanf(f(ay / ax)); // exponents within 25: the usual case
  else {
    const k = (bitsOf(y) - bitsOf(x)) >> 23; // fdlibm's exponent-difference test
    z = k > 26 ? f(PI_O_2 + f(0.5 * PI_LO)) : x < 0 && k < -26 ? 0 : atanf(f(ay / ax));
  }
  return x < 0 ? (y < 0 ? f(f(z - PI_LO) - PI) : f(PI - f(z - PI_LO))) : y < 0 ? -z : z;
}

/** fdlibm's cases with a (signed) zero argument. */
function atan2Zero(y: number, x: number): number {
  const negative = (v: number) => v < 0 || (v === 0 && 1 / v < 0);
  if (y === 0) return negative(x) ? (negative(y) ? -PI : PI) : y;
  return y < 0 ? -PI_O_2 : PI_O_2;
}

/** A v128.const of four equal float32 lanes (JS prints the shortest decimal that reads back as that float32). */
const k = (x: number) => `(v128.const f32x4 ${x} ${x} ${x} ${x})`;

/** c0 + w·(c1 + w·(c2 + …)) as fdlibm's polynomials, innermost term last. */
const horner = (c: number[]): string => c.slice(0, -1).reduceRight((acc, ci) => `(f32x4.add ${k(ci)} (f32x4.mul (local.get $w) ${acc}))`, k(c[c.length - 1]));

// Per reduction: x' = (p·t - q) / (r + s·t), then hi - ((x'·(s1 + s2) - lo) - x'); no reduction
// below 0.4375 is p = r = 1, q = s = hi = lo = 0, which fdlibm's x - x·(s1 + s2) equals exactly.
const CASE = ['$p', '$q', '$r', '$s', '$hi', '$lo'];
const NO_REDUCTION = [1, 0, 1, 0, 0, 0];
const REDUCTIONS: [number, number[]][] = [
  [0.4375, [2, 1, 2, 1, ATAN_HI[0], ATAN_LO[0]]],
  [0.6875, [1, 1, 1, 1, ATAN_HI[1], ATAN_LO[1]]],
  [1.1875, [1, 1.5, 1, 1.5, ATAN_HI[2], ATAN_LO[2]]],
  [2.4375, [0, 1, 0, 1, ATAN_HI[3], ATAN_LO[3]]],
];

/**
 * The same fdlibm atan2f on four lanes at once in WebAssembly SIMD, whose f32x4 arithmetic is
 * IEEE float32 like glibc's: the argument reduction is chosen per lane by bit-selects (one
 * division computes every case: (p·t - q) / (r + s·t)) and the quadrant likewise. Lanes outside
 * the usual case (a zero, or exponents 25 apart) come out as NaN and go to atan2f above.
 * atan2f(yp, xp, out, bytes) works on float32 arrays at those byte offsets of its own memory.
 */
const WAT = `(module
  (func (export "atan2f") (param $yp i32) (param $xp i32) (param $out i32) (param $bytes i32)
    (local $i i32)
    (local $y v128) (local $x v128) (local $ay v128) (local $ax v128) (local $t v128) ${CASE.map((v) => `(local ${v} v128)`).join(' ')}
    (local $m v128) (local $xr v128) (local $z v128) (local $w v128) (local $res v128)
    (block $done
      (loop $lanes
        (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
        (local.set $y (v128.load align=4 (i32.add (local.get $yp) (local.get $i))))
        (local.set $x (v128.load align=4 (i32.add (local.get $xp) (local.get $i))))
        (local.set $ay (f32x4.abs (local.get $y)))
        (local.set $ax (f32x4.abs (local.get $x)))
        (local.set $t (f32x4.div (local.get $ay) (local.get $ax)))
        ${NO_REDUCTION.map((c, j) => `(local.set ${CASE[j]} ${k(c)})`).join('\n        ')}
        ${REDUCTIONS.flatMap(([from, consts]) => [
          `(local.set $m (f32x4.ge (local.get $t) ${k(from)}))`,
          ...consts.map((c, j) => `(local.set ${CASE[j]} (v128.bitselect ${k(c)} (local.get ${CASE[j]}) (local.get $m)))`),
        ]).join('\n        ')}
        (local.set $xr (f32x4.div
          (f32x4.sub (f32x4.mul (local.get $p) (local.get $t)) (local.get $q))
          (f32x4.add (local.get $r) (f32x4.mul (local.get $s) (local.get $t)))))
        (local.set $z (f32x4.mul (local.get $xr) (local.get $xr)))
        (local.set $w (f32x4.mul (local.get $z) (local.get $z)))
        (local.set $res (f32x4.sub (local.get $hi) (f32x4.sub (f32x4.sub
          (f32x4.mul (local.get $xr) (f32x4.add
            (f32x4.mul (local.get $z) ${horner([0, 2, 4, 6, 8, 10].map((i) => AT[i]))})
            (f32x4.mul (local.get $w) ${horner([1, 3, 5, 7, 9].map((i) => AT[i]))})))
          (local.get $lo)) (local.get $xr))))
        ;; atanf(t) = t below 2^-12
        (local.set $res (v128.bitselect (local.get $t) (local.get $res) (f32x4.lt (local.get $t) ${k(2.44140625e-4)})))
        ;; $z reused: z - pi_lo
        (local.set $z (f32x4.sub (local.get $res) ${k(PI_LO)}))
        (local.set $res (v128.bitselect
          (v128.bitselect (f32x4.sub (local.get $z) ${k(PI)}) (f32x4.sub ${k(PI)} (local.get $z)) (f32x4.lt (local.get $y) ${k(0)}))
          (v128.bitselect (f32x4.neg (local.get $res)) (local.get $res) (f32x4.lt (local.get $y) ${k(0)}))
          (f32x4.lt (local.get $x) ${k(0)})))
        (v128.store align=4 (i32.add (local.get $out) (local.get $i))
          (v128.bitselect (local.get $res) (v128.const f32x4 nan nan nan nan) (v128.and
            (f32x4.lt (local.get $ay) (f32x4.mul (local.get $ax) ${k(33554432)}))
            (f32x4.lt (local.get $ax) (f32x4.mul (local.get $ay) ${k(33554432)})))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $lanes))))
  (memory (export "memory") 1))`;

// Compiled at import (top-level await) so atan2fArray, and the STFT that calls it, stay synchronous.
const exports = instantiate(await compileWat('atan2f', WAT));
const kernel = { run: exports.atan2f as (y: number, x: number, out: number, bytes: number) => void, memory: exports.memory as WasmMemory };

/** atan2f of the usual-case lanes (both non-zero, exponents less than 25 apart) by the SIMD kernel; NaN for the rest. */
export function atan2fSimd(y: Float32Array, x: Float32Array, out: Float32Array = new Float32Array(y.length)): Float32Array {
  if (x.length !== y.length || out.length !== y.length) throw new Error(`atan2f arrays: lengths ${y.length}, ${x.length}, ${out.length} differ`);
  const n = y.length, lanes = Math.ceil(n / 4) * 4;
  const need = 3 * lanes * 4 - kernel.memory.buffer.byteLength;
  if (need > 0) kernel.memory.grow(Math.ceil(need / 65536));
  const heap = new Float32Array(kernel.memory.buffer);
  heap.set(y, 0);
  heap.set(x, lanes);
  kernel.run(0, 4 * lanes, 8 * lanes, 4 * lanes);
  out.set(heap.subarray(2 * lanes, 2 * lanes + n));
  return out;
}

/** out[i] = atan2f(y[i], x[i]), bit for bit as the scalar atan2f, several times faster. */
export function atan2fArray(y: Float32Array, x: Float32Array, out: Float32Array = new Float32Array(y.length)): Float32Array {
  atan2fSimd(y, x, out);
  for (let i = 0; i < out.length; i++) if (out[i] !== out[i]) out[i] = atan2f(y[i], x[i]);
  return out;
}
