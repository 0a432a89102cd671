/**
 * float32 atan2 as numpy computes np.angle on complex64 through glibc's atan2f (fdlibm's
 * e_atan2f.c / s_atanf.c, float arithmetic throughout; Sun Microsystems 1993). It is not correctly
 * rounded, and the phase vocoder's float32 phase accumulator turns a one-ulp angle difference into
 * a visible phase step, so matching librosa means matching these bits.
 */
import atan2fWasm from './atan2f.wat';

const f = Math.fround;
const ATAN_HI = [4.6364760399e-1, 7.8539812565e-1, 9.8279368877e-1, 1.5707962513].map(f);
const ATAN_LO = [5.012158244e-9, 3.7748947079e-8, 3.447321717e-8, 7.5497894159e-8].map(f);
const AT = [
  3.3333334327e-1, -2.0000000298e-1, 1.4285714924e-1, -1.1111110449e-1, 9.0908870101e-2, -7.6918758452e-2, 6.6610731184e-2, -5.8335702866e-2, 4.9768779427e-2,
  -3.6531571299e-2, 1.6285819933e-2,
].map(f);
const PI = f(3.141592741),
  PI_LO = f(-8.7422776573e-8),
  PI_O_2 = f(1.5707963705);

const word = new Float32Array(1);
const bits = new Int32Array(word.buffer);
const bitsOf = (x: number) => ((word[0] = x), bits[0] & 0x7fffffff);

/** fdlibm atanf for x >= 0 (atan2f only calls it on |y/x|); thresholds are its bit tests as numbers. */
function atanf(x: number): number {
  if (x >= 67108864) return f(ATAN_HI[3] + ATAN_LO[3]); // x >= 2^26
  let id = -1;
  if (x >= 0.4375) {
    // Reduce to atan(c) + atan((x - c) / (1 + c x)) with c = 0.5, 1, 1.5 or inf.
    if (x < 0.6875)
      ((id = 0), (x = f(f(2 * x - 1) / f(2 + x)))); // 2x is exact
    else if (x < 1.1875) ((id = 1), (x = f(f(x - 1) / f(x + 1))));
    else if (x < 2.4375) ((id = 2), (x = f(f(x - 1.5) / f(1 + f(1.5 * x)))));
    else ((id = 3), (x = f(-1 / x)));
  } else if (x < 2.44140625e-4) return x; // x < 2^-12
  const z = f(x * x),
    w = f(z * z);
  const s1 = f(z * f(AT[0] + f(w * f(AT[2] + f(w * f(AT[4] + f(w * f(AT[6] + f(w * f(AT[8] + f(w * AT[10])))))))))));
  const s2 = f(w * f(AT[1] + f(w * f(AT[3] + f(w * f(AT[5] + f(w * f(AT[7] + f(w * AT[9])))))))));
  if (id < 0) return f(x - f(x * f(s1 + s2)));
  return f(ATAN_HI[id] - f(f(f(x * f(s1 + s2)) - ATAN_LO[id]) - x));
}

/** atan2f(y, x) for finite float32 inputs (STFT values are finite). */
export function atan2f(y: number, x: number): number {
  if (y === 0 || x === 0) return atan2Zero(y, x);
  if (x === 1) return y < 0 ? -atanf(-y) : atanf(y); // atanf is odd
  const ax = Math.abs(x),
    ay = Math.abs(y);
  let z: number;
  if (ay < ax * 33554432 && ax < ay * 33554432)
    z = atanf(f(ay / ax)); // exponents within 25: the usual case
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

/**
 * The same atan2f on four lanes at once in WebAssembly SIMD (atan2f.wat, compiled at build time):
 * the argument reduction and the quadrant are chosen per lane by bit-selects. Lanes outside the
 * usual case come out as NaN and go to atan2f above. Instantiated on first use, with its own memory.
 */
interface Kernel {
  run(yp: number, xp: number, out: number, bytes: number): void;
  memory: WebAssembly.Memory;
}
let instance: Kernel | null = null;
function simd(): Kernel {
  if (!instance) {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(atan2fWasm));
    instance = { run: exports.atan2f as Kernel['run'], memory: exports.memory as WebAssembly.Memory };
  }
  return instance;
}

/** atan2f of the usual-case lanes (both non-zero, exponents less than 25 apart) by the SIMD kernel; NaN for the rest. */
export function atan2fSimd(y: Float32Array, x: Float32Array, out: Float32Array = new Float32Array(y.length)): Float32Array {
  if (x.length !== y.length || out.length !== y.length) throw new Error(`atan2f arrays: lengths ${y.length}, ${x.length}, ${out.length} differ`);
  const kernel = simd();
  const n = y.length,
    lanes = Math.ceil(n / 4) * 4;
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
