/**
 * Memory-bound passes over tensor data: the per-channel passes of batch norm over channels-last
 * data (rows of C floats) and the strided gather of im2col. On the wasm backend they run as a small
 * WebAssembly SIMD module that imports the backend's own WebAssembly.Memory and works on tensor data
 * in place by heap offset (no copies); JS loops at ~6 ns/element made batch norm a quarter of a
 * training step. The module is WAT text compiled by @ser/core's compileWat (wabt) once per thread
 * (`compilePasses`, awaited when the wasm backend starts). Elsewhere (cpu backends; for the channel passes also C not a
 * multiple of 4) the same passes run as plain loops (float64 accumulators).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { compileWat, instantiate, type WasmMemory, type WasmModule } from '@ser/core';
import { floats } from './heap.ts';

/** Channel passes: u, v, x, y, dy, dx are [rows, C] tensors, vectors have C entries. */
export interface Passes {
  /** [Σᵢ u[i,c], Σᵢ u[i,c]·(v[i,c] − m[c])] per channel, accumulated in float64. */
  sums(u: TensorInfo, v: TensorInfo, m: Float32Array, C: number): [Float64Array, Float64Array];
  /** y[i,c] = x[i,c]·scale[c] + shift[c]. */
  affine(x: TensorInfo, y: TensorInfo, scale: Float32Array, shift: Float32Array): void;
  /** dx[i,c] = k[c]·dy[i,c] − b[c]·x[i,c] − a[c] (the batch-norm input gradient, rearranged). */
  scaleSub(dy: TensorInfo, x: TensorInfo, dx: TensorInfo, k: Float32Array, b: Float32Array, a: Float32Array): void;
  /** dz = dy where y > 0, else 0 (the ReLU gradient given the ReLU's output y). */
  reluMask(dy: TensorInfo, y: TensorInfo, dz: TensorInfo): void;
  /** A copier from src to dst (float indices): copy(srcAt, dstAt, count, len, srcStride, step) copies,
   *  for runs r < count, src[srcAt + r·srcStride + i·step] to dst[dstAt + r·len + i] (i < len). */
  gather(src: TensorInfo, dst: TensorInfo): GatherFn;
  /** MaxPoolGrad of non-overlapping 2×2 windows: the first of the four (row-major) holding the
   *  maximum gets dy (TF's rule); dx elements outside every window are left as they are. */
  maxPool2x2Grad(x: TensorInfo, dy: TensorInfo, dx: TensorInfo, p: Pool2x2): void;
  /** out[M, N] = a[M, K] · b[K, N] (out written whole); null where this backend has no fast version
   *  for the shape (then use BatchMatMul). */
  product(a: TensorInfo, b: TensorInfo, out: TensorInfo, M: number, K: number, N: number): boolean;
}

/** Shape of a 2×2 / stride-2 / unpadded max pool: input [B,H,W,C], output [B,oH,oW,C]. */
export interface Pool2x2 {
  B: number;
  H: number;
  W: number;
  C: number;
  oH: number;
  oW: number;
}

export type GatherFn = (srcAt: number, dstAt: number, count: number, len: number, srcStride: number, step: number) => void;

/*
 * sums: f32x4 partial sums over blocks of 64 rows (error ≲ 64 ulp), flushed into float64 totals, so
 * the totals over 262,144 rows (the first layer's batch share) stay exact to float64 rounding.
 * product: out = a·b for N % 16 = 0, over blocks of 256 rows of b that stay in cache, 12 f32x4
 * accumulators for 3 rows of a × 16 columns (M % 3 = 0 for the im2col filter gradient: M = 9·Ci);
 * a is read through row and step strides, so the Winograd GEMMs (winograd.ts) also take aᵀ in place,
 * and it can accumulate into out;
 * XNNPACK packs b (a fresh dy every step) first, ~80 ms for the first two layers' dy: with that,
 * this runs at 12–19 GFLOP/s against XNNPACK's 2–17 on the model's three filter gradients.
 * gather: one memory.copy per run when the step is one float. maxPool2x2Grad: the first-maximum
 * masks from three f32x4.gt comparisons, one pass. Pointers and strides are byte offsets
 * into the backend's heap; C is a multiple of 4.
 */
const WAT = `(module
  (import "env" "memory" (memory 1))
  (func (export "sums") (param $u i32) (param $v i32) (param $m i32) (param $n i32) (param $C i32) (param $part i32) (param $tot i32)
    (local $rb i32) (local $part2 i32) (local $k i32) (local $c i32) (local $a v128) (local $t i32)
    (local.set $rb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $part2 (i32.add (local.get $part) (local.get $rb)))
    (block $done
      (loop $blocks
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $k (select (i32.const 64) (local.get $n) (i32.gt_s (local.get $n) (i32.const 64))))
        (local.set $n (i32.sub (local.get $n) (local.get $k)))
        (local.set $c (i32.const 0))
        (loop $zero
          (v128.store (i32.add (local.get $part) (local.get $c)) (v128.const i32x4 0 0 0 0))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br_if $zero (i32.lt_u (local.get $c) (i32.shl (local.get $rb) (i32.const 1)))))
        (loop $rows
          (local.set $c (i32.const 0))
          (loop $ch
            (local.set $a (v128.load (i32.add (local.get $u) (local.get $c))))
            (v128.store (i32.add (local.get $part) (local.get $c))
              (f32x4.add (v128.load (i32.add (local.get $part) (local.get $c))) (local.get $a)))
            (v128.store (i32.add (local.get $part2) (local.get $c))
              (f32x4.add (v128.load (i32.add (local.get $part2) (local.get $c)))
                (f32x4.mul (local.get $a)
                  (f32x4.sub (v128.load (i32.add (local.get $v) (local.get $c))) (v128.load (i32.add (local.get $m) (local.get $c)))))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br_if $ch (i32.lt_u (local.get $c) (local.get $rb))))
          (local.set $u (i32.add (local.get $u) (local.get $rb)))
          (local.set $v (i32.add (local.get $v) (local.get $rb)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br_if $rows (local.get $k)))
        (local.set $c (i32.const 0))
        (loop $flush
          (local.set $a (v128.load (i32.add (local.get $part) (local.get $c))))
          (local.set $t (i32.add (local.get $tot) (i32.shl (local.get $c) (i32.const 1))))
          (v128.store (local.get $t) (f64x2.add (v128.load (local.get $t)) (f64x2.promote_low_f32x4 (local.get $a))))
          (v128.store offset=16 (local.get $t)
            (f64x2.add (v128.load offset=16 (local.get $t))
              (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a)))))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br_if $flush (i32.lt_u (local.get $c) (i32.shl (local.get $rb) (i32.const 1)))))
        (br $blocks))))
  (func (export "affine") (param $x i32) (param $y i32) (param $s i32) (param $t i32) (param $n i32) (param $C i32)
    (local $rb i32) (local $c i32)
    (local.set $rb (i32.shl (local.get $C) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $c (i32.const 0))
        (loop $ch
          (v128.store (i32.add (local.get $y) (local.get $c))
            (f32x4.add
              (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $c))) (v128.load (i32.add (local.get $s) (local.get $c))))
              (v128.load (i32.add (local.get $t) (local.get $c)))))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br_if $ch (i32.lt_u (local.get $c) (local.get $rb))))
        (local.set $x (i32.add (local.get $x) (local.get $rb)))
        (local.set $y (i32.add (local.get $y) (local.get $rb)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $rows))))
  (func (export "scaleSub") (param $dy i32) (param $x i32) (param $dx i32) (param $k i32) (param $b i32) (param $a i32) (param $n i32) (param $C i32)
    (local $rb i32) (local $c i32)
    (local.set $rb (i32.shl (local.get $C) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $c (i32.const 0))
        (loop $ch
          (v128.store (i32.add (local.get $dx) (local.get $c))
            (f32x4.sub
              (f32x4.sub
                (f32x4.mul (v128.load (i32.add (local.get $k) (local.get $c))) (v128.load (i32.add (local.get $dy) (local.get $c))))
                (f32x4.mul (v128.load (i32.add (local.get $b) (local.get $c))) (v128.load (i32.add (local.get $x) (local.get $c)))))
              (v128.load (i32.add (local.get $a) (local.get $c)))))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br_if $ch (i32.lt_u (local.get $c) (local.get $rb))))
        (local.set $dy (i32.add (local.get $dy) (local.get $rb)))
        (local.set $x (i32.add (local.get $x) (local.get $rb)))
        (local.set $dx (i32.add (local.get $dx) (local.get $rb)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $rows))))
  (func (export "reluMask") (param $dy i32) (param $y i32) (param $dz i32) (param $bytes i32)
    (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
        (v128.store (i32.add (local.get $dz) (local.get $i))
          (v128.and (v128.load (i32.add (local.get $dy) (local.get $i)))
            (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $i))) (v128.const f32x4 0 0 0 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l))))
  (func (export "gather") (param $src i32) (param $dst i32) (param $count i32) (param $len i32) (param $srcStride i32) (param $step i32)
    (local $rb i32) (local $i i32) (local $s i32)
    (local.set $rb (i32.shl (local.get $len) (i32.const 2)))
    (block $done
      (loop $runs
        (br_if $done (i32.eqz (local.get $count)))
        (if (i32.eq (local.get $step) (i32.const 4))
          (then (memory.copy (local.get $dst) (local.get $src) (local.get $rb)))
          (else
            (local.set $i (i32.const 0))
            (local.set $s (local.get $src))
            (loop $el
              (f32.store (i32.add (local.get $dst) (local.get $i)) (f32.load (local.get $s)))
              (local.set $s (i32.add (local.get $s) (local.get $step)))
              (local.set $i (i32.add (local.get $i) (i32.const 4)))
              (br_if $el (i32.lt_u (local.get $i) (local.get $rb))))))
        (local.set $src (i32.add (local.get $src) (local.get $srcStride)))
        (local.set $dst (i32.add (local.get $dst) (local.get $rb)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $runs))))
  (func (export "product") (param $a i32) (param $b i32) (param $out i32) (param $M i32) (param $K i32) (param $N i32) (param $aRow i32) (param $aStep i32) (param $acc i32)
    (local $nb i32) (local $k0 i32) (local $kb i32) (local $m i32) (local $n i32) (local $o i32) (local $pa i32) (local $pb i32) (local $p i32)
    (local $v v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $a00 v128) (local $a01 v128) (local $a02 v128) (local $a03 v128) (local $a10 v128) (local $a11 v128) (local $a12 v128) (local $a13 v128) (local $a20 v128) (local $a21 v128) (local $a22 v128) (local $a23 v128)
    (local.set $nb (i32.shl (local.get $N) (i32.const 2)))
    (local.set $k0 (i32.const 0))
    (loop $blocks
      (local.set $kb (select (i32.const 256) (i32.sub (local.get $K) (local.get $k0)) (i32.gt_s (i32.sub (local.get $K) (local.get $k0)) (i32.const 256))))
      (local.set $m (i32.const 0))
      (loop $rows
        (local.set $n (i32.const 0))
        (loop $cols
          (local.set $o (i32.add (local.get $out) (i32.add (i32.mul (local.get $m) (local.get $nb)) (local.get $n))))
          (if (i32.eqz (i32.or (local.get $k0) (local.get $acc)))
            (then (local.set $a00 (v128.const i32x4 0 0 0 0)) (local.set $a01 (v128.const i32x4 0 0 0 0)) (local.set $a02 (v128.const i32x4 0 0 0 0)) (local.set $a03 (v128.const i32x4 0 0 0 0)) (local.set $a10 (v128.const i32x4 0 0 0 0)) (local.set $a11 (v128.const i32x4 0 0 0 0)) (local.set $a12 (v128.const i32x4 0 0 0 0)) (local.set $a13 (v128.const i32x4 0 0 0 0)) (local.set $a20 (v128.const i32x4 0 0 0 0)) (local.set $a21 (v128.const i32x4 0 0 0 0)) (local.set $a22 (v128.const i32x4 0 0 0 0)) (local.set $a23 (v128.const i32x4 0 0 0 0)))
            (else (local.set $a00 (v128.load offset=0 (local.get $o))) (local.set $a01 (v128.load offset=16 (local.get $o))) (local.set $a02 (v128.load offset=32 (local.get $o))) (local.set $a03 (v128.load offset=48 (local.get $o))) (local.set $a10 (v128.load offset=0 (i32.add (local.get $o) (local.get $nb)))) (local.set $a11 (v128.load offset=16 (i32.add (local.get $o) (local.get $nb)))) (local.set $a12 (v128.load offset=32 (i32.add (local.get $o) (local.get $nb)))) (local.set $a13 (v128.load offset=48 (i32.add (local.get $o) (local.get $nb)))) (local.set $a20 (v128.load offset=0 (i32.add (i32.add (local.get $o) (local.get $nb)) (local.get $nb)))) (local.set $a21 (v128.load offset=16 (i32.add (i32.add (local.get $o) (local.get $nb)) (local.get $nb)))) (local.set $a22 (v128.load offset=32 (i32.add (i32.add (local.get $o) (local.get $nb)) (local.get $nb)))) (local.set $a23 (v128.load offset=48 (i32.add (i32.add (local.get $o) (local.get $nb)) (local.get $nb))))))
          (local.set $pa (i32.add (local.get $a) (i32.add (i32.mul (local.get $m) (local.get $aRow)) (i32.mul (local.get $k0) (local.get $aStep)))))
          (local.set $pb (i32.add (local.get $b) (i32.add (i32.mul (local.get $k0) (local.get $nb)) (local.get $n))))
          (local.set $p (local.get $kb))
          (loop $px
            (local.set $s0 (v128.load32_splat (local.get $pa)))
            (local.set $s1 (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow))))
            (local.set $s2 (v128.load32_splat (i32.add (i32.add (local.get $pa) (local.get $aRow)) (local.get $aRow))))
            (local.set $v (v128.load offset=0 (local.get $pb)))
            (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s0) (local.get $v))))
            (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s1) (local.get $v))))
            (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s2) (local.get $v))))
            (local.set $v (v128.load offset=16 (local.get $pb)))
            (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s0) (local.get $v))))
            (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $s1) (local.get $v))))
            (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $s2) (local.get $v))))
            (local.set $v (v128.load offset=32 (local.get $pb)))
            (local.set $a02 (f32x4.add (local.get $a02) (f32x4.mul (local.get $s0) (local.get $v))))
            (local.set $a12 (f32x4.add (local.get $a12) (f32x4.mul (local.get $s1) (local.get $v))))
            (local.set $a22 (f32x4.add (local.get $a22) (f32x4.mul (local.get $s2) (local.get $v))))
            (local.set $v (v128.load offset=48 (local.get $pb)))
            (local.set $a03 (f32x4.add (local.get $a03) (f32x4.mul (local.get $s0) (local.get $v))))
            (local.set $a13 (f32x4.add (local.get $a13) (f32x4.mul (local.get $s1) (local.get $v))))
            (local.set $a23 (f32x4.add (local.get $a23) (f32x4.mul (local.get $s2) (local.get $v))))
            (local.set $pa (i32.add (local.get $pa) (local.get $aStep)))
            (local.set $pb (i32.add (local.get $pb) (local.get $nb)))
            (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (br_if $px (local.get $p)))
          (v128.store offset=0 (local.get $o) (local.get $a00)) (v128.store offset=16 (local.get $o) (local.get $a01)) (v128.store offset=32 (local.get $o) (local.get $a02)) (v128.store offset=48 (local.get $o) (local.get $a03))
          (v128.store offset=0 (i32.add (local.get $o) (local.get $nb)) (local.get $a10)) (v128.store offset=16 (i32.add (local.get $o) (local.get $nb)) (local.get $a11)) (v128.store offset=32 (i32.add (local.get $o) (local.get $nb)) (local.get $a12)) (v128.store offset=48 (i32.add (local.get $o) (local.get $nb)) (local.get $a13))
          (v128.store offset=0 (i32.add (i32.add (local.get $o) (local.get $nb)) (local.get $nb)) (local.get $a20)) (v128.store offset=16 (i32.add (i32.add (local.get $o) (local.get $nb)) (local.get $nb)) (local.get $a21)) (v128.store offset=32 (i32.add (i32.add (local.get $o) (local.get $nb)) (local.get $nb)) (local.get $a22)) (v128.store offset=48 (i32.add (i32.add (local.get $o) (local.get $nb)) (local.get $nb)) (local.get $a23))
          (local.set $n (i32.add (local.get $n) (i32.const 64)))
          (br_if $cols (i32.lt_u (local.get $n) (local.get $nb))))
        (local.set $m (i32.add (local.get $m) (i32.const 3)))
        (br_if $rows (i32.lt_u (local.get $m) (local.get $M))))
      (local.set $k0 (i32.add (local.get $k0) (local.get $kb)))
      (br_if $blocks (i32.lt_u (local.get $k0) (local.get $K)))))
  (func (export "maxPool2x2Grad") (param $x i32) (param $g i32) (param $dx i32) (param $B i32) (param $H i32) (param $W i32) (param $C i32) (param $oH i32) (param $oW i32)
    (local $cb i32) (local $row i32) (local $b i32) (local $r i32) (local $q i32) (local $p i32) (local $c i32) (local $a i32)
    (local $v0 v128) (local $best v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $gv v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $row (i32.mul (local.get $W) (local.get $cb)))
    (local.set $b (i32.const 0))
    (loop $bl
      (local.set $r (i32.const 0))
      (loop $rl
        (local.set $p (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (i32.shl (local.get $r) (i32.const 1))) (local.get $row)))
        (local.set $q (i32.const 0))
        (loop $ql
          (local.set $c (i32.const 0))
          (loop $cl
            (local.set $a (i32.add (local.get $p) (local.get $c)))
            (local.set $v0 (v128.load (i32.add (local.get $x) (local.get $a))))
            (local.set $best (v128.load (i32.add (i32.add (local.get $x) (local.get $a)) (local.get $cb))))
            (local.set $c1 (f32x4.gt (local.get $best) (local.get $v0)))
            (local.set $best (v128.bitselect (local.get $best) (local.get $v0) (local.get $c1)))
            (local.set $v0 (v128.load (i32.add (i32.add (local.get $x) (local.get $a)) (local.get $row))))
            (local.set $c2 (f32x4.gt (local.get $v0) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $v0) (local.get $best) (local.get $c2)))
            (local.set $c3 (f32x4.gt
              (v128.load (i32.add (i32.add (i32.add (local.get $x) (local.get $a)) (local.get $row)) (local.get $cb)))
              (local.get $best)))
            (local.set $gv (v128.load (local.get $g)))
            (v128.store (i32.add (i32.add (i32.add (local.get $dx) (local.get $a)) (local.get $row)) (local.get $cb))
              (v128.and (local.get $gv) (local.get $c3)))
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $a)) (local.get $row))
              (v128.and (local.get $gv) (v128.andnot (local.get $c2) (local.get $c3))))
            (local.set $c2 (v128.or (local.get $c2) (local.get $c3)))
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $a)) (local.get $cb))
              (v128.and (local.get $gv) (v128.andnot (local.get $c1) (local.get $c2))))
            (v128.store (i32.add (local.get $dx) (local.get $a))
              (v128.andnot (local.get $gv) (v128.or (local.get $c1) (local.get $c2))))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br_if $cl (i32.lt_u (local.get $c) (local.get $cb))))
          (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cb) (i32.const 1))))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br_if $ql (i32.lt_u (local.get $q) (local.get $oW))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $rl (i32.lt_u (local.get $r) (local.get $oH))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $bl (i32.lt_u (local.get $b) (local.get $B)))))
)`;

interface SimdExports {
  sums(u: number, v: number, m: number, n: number, C: number, part: number, tot: number): void;
  affine(x: number, y: number, s: number, t: number, n: number, C: number): void;
  scaleSub(dy: number, x: number, dx: number, k: number, b: number, a: number, n: number, C: number): void;
  /** Byte offsets and strides (step, srcStride in bytes). */
  gather(src: number, dst: number, count: number, len: number, srcStride: number, step: number): void;
  reluMask(dy: number, y: number, dz: number, bytes: number): void;
  maxPool2x2Grad(x: number, g: number, dx: number, B: number, H: number, W: number, C: number, oH: number, oW: number): void;
  /** out[M,N] (+ out when acc ≠ 0) = A·b[K,N] with A[m,k] at a + m·aRow + k·aStep (bytes). Rows go in
   *  threes: when M % 3 ≠ 0 the last one or two extra rows of out are written and of A read. */
  product(a: number, b: number, out: number, M: number, K: number, N: number, aRow: number, aStep: number, acc: number): void;
}

/** The parts of tfjs-backend-wasm's BackendWasm used here (its emscripten module and tensor table). */
export interface WasmBackend {
  wasm: { asm: { memory: WasmMemory }; _malloc(bytes: number): number; _free(ptr: number): void };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
}

/** Compile the SIMD module (once per thread); until then every backend gets the JS loops. */
export const compilePasses = (): Promise<void> => simdModule.compile();

const jsPasses = (backend: object): Passes => ({
  sums(u, v, m, C) {
    const uv = floats(backend, u);
    const vv = floats(backend, v);
    const su = new Float64Array(C);
    const suv = new Float64Array(C);
    for (let i = 0; i < uv.length; i += C)
      for (let c = 0; c < C; c++) {
        su[c] += uv[i + c];
        suv[c] += uv[i + c] * (vv[i + c] - m[c]);
      }
    return [su, suv];
  },
  affine(x, y, scale, shift) {
    const xv = floats(backend, x);
    const yv = floats(backend, y);
    const C = scale.length;
    for (let i = 0; i < xv.length; i += C) for (let c = 0; c < C; c++) yv[i + c] = xv[i + c] * scale[c] + shift[c];
  },
  scaleSub(dy, x, dx, k, b, a) {
    const dyv = floats(backend, dy);
    const xv = floats(backend, x);
    const dxv = floats(backend, dx);
    const C = k.length;
    for (let i = 0; i < xv.length; i += C) for (let c = 0; c < C; c++) dxv[i + c] = k[c] * dyv[i + c] - b[c] * xv[i + c] - a[c];
  },
  gather(src, dst) {
    const sv = floats(backend, src);
    const dv = floats(backend, dst);
    return (srcAt, dstAt, count, len, srcStride, step) => {
      for (let r = 0; r < count; r++, srcAt += srcStride) for (let i = 0; i < len; i++) dv[dstAt++] = sv[srcAt + i * step];
    };
  },
  product: () => false,
  reluMask(dy, y, dz) {
    const g = floats(backend, dy);
    const yv = floats(backend, y);
    const out = floats(backend, dz);
    for (let i = 0; i < g.length; i++) out[i] = yv[i] > 0 ? g[i] : 0;
  },
  maxPool2x2Grad(input, dy, dxInfo, { B, H, W, C, oH, oW }) {
    const x = floats(backend, input);
    const g = floats(backend, dy);
    const dx = floats(backend, dxInfo);
    const row = W * C;
    let gi = 0;
    for (let b = 0; b < B; b++)
      for (let r = 0; r < oH; r++)
        for (let q = 0; q < oW; q++) {
          const p00 = ((b * H + 2 * r) * W + 2 * q) * C;
          for (let ch = 0; ch < C; ch++, gi++) {
            const p0 = p00 + ch;
            const p1 = p0 + C;
            const p2 = p0 + row;
            const p3 = p2 + C;
            let at = p0;
            if (x[p1] > x[at]) at = p1;
            if (x[p2] > x[at]) at = p2;
            if (x[p3] > x[at]) at = p3;
            dx[p0] = dx[p1] = dx[p2] = dx[p3] = 0;
            dx[at] = g[gi];
          }
        }
  },
});

function simdPasses(backend: WasmBackend, simd: SimdExports): Passes {
  const js = jsPasses(backend);
  const ptr = (info: TensorInfo) => heapOffset(backend, info);
  const rows = (info: TensorInfo, C: number) => info.shape.reduce((p, d) => p * d, 1) / C;
  /** Scratch on the backend's heap for the per-channel vectors (3·C floats) and sums' partials/totals. */
  const withScratch = <T>(C: number, vectors: Float32Array[], f: (at: number[], part: number, tot: number) => T): T => {
    const bytes = 4 * C * (vectors.length + 2) + 16 * C;
    const base = backend.wasm._malloc(bytes + 16);
    const start = (base + 15) & ~15; // 16-byte aligned SIMD loads
    try {
      const heap = new Float32Array(backend.wasm.asm.memory.buffer);
      const at = vectors.map((vec, i) => {
        heap.set(vec, start / 4 + i * C);
        return start + 4 * i * C;
      });
      const part = start + 4 * C * vectors.length;
      const tot = part + 8 * C;
      new Float64Array(backend.wasm.asm.memory.buffer, tot, 2 * C).fill(0);
      return f(at, part, tot);
    } finally {
      backend.wasm._free(base);
    }
  };
  return {
    sums(u, v, m, C) {
      if (C % 4 !== 0) return js.sums(u, v, m, C);
      return withScratch(C, [m], ([mp], part, tot) => {
        simd.sums(ptr(u), ptr(v), mp, rows(u, C), C, part, tot);
        const t = new Float64Array(backend.wasm.asm.memory.buffer, tot, 2 * C);
        return [t.slice(0, C), t.slice(C)];
      });
    },
    affine(x, y, scale, shift) {
      const C = scale.length;
      if (C % 4 !== 0) return js.affine(x, y, scale, shift);
      withScratch(C, [scale, shift], ([s, t]) => simd.affine(ptr(x), ptr(y), s, t, rows(x, C), C));
    },
    scaleSub(dy, x, dx, k, b, a) {
      const C = k.length;
      if (C % 4 !== 0) return js.scaleSub(dy, x, dx, k, b, a);
      withScratch(C, [k, b, a], ([kp, bp, ap]) => simd.scaleSub(ptr(dy), ptr(x), ptr(dx), kp, bp, ap, rows(x, C), C));
    },
    reluMask(dy, y, dz) {
      const n = dy.shape.reduce((p, d) => p * d, 1);
      if (n % 4 !== 0) return js.reluMask(dy, y, dz);
      simd.reluMask(ptr(dy), ptr(y), ptr(dz), 4 * n);
    },
    product(a, b, out, M, K, N) {
      if (N % 16 !== 0 || M % 3 !== 0 || K === 0) return false;
      simd.product(ptr(a), ptr(b), ptr(out), M, K, N, 4 * K, 4, 0);
      return true;
    },
    maxPool2x2Grad(x, dy, dx, p) {
      if (p.C % 4 !== 0 || p.B * p.oH * p.oW === 0) return js.maxPool2x2Grad(x, dy, dx, p);
      simd.maxPool2x2Grad(ptr(x), ptr(dy), ptr(dx), p.B, p.H, p.W, p.C, p.oH, p.oW);
    },
    gather(src, dst) {
      const s0 = ptr(src);
      const d0 = ptr(dst);
      return (srcAt, dstAt, count, len, srcStride, step) => simd.gather(s0 + 4 * srcAt, d0 + 4 * dstAt, count, len, 4 * srcStride, 4 * step);
    },
  };
}

/** A WebAssembly module instantiated once per wasm backend on the backend's own memory. */
export interface HeapModule<T> {
  compile(): Promise<void>;
  /** The module's exports and the backend on a wasm backend once compiled, else null. */
  on(backend: object): { exports: T; backend: WasmBackend } | null;
}

export function heapModule<T>(name: string, wat: string): HeapModule<T> {
  let module: WasmModule | null = null;
  const instances = new WeakMap<object, T>();
  return {
    async compile() {
      module ??= await compileWat(name, wat);
    },
    on(backend) {
      if (!module || !('dataIdMap' in backend) || !('wasm' in backend)) return null;
      const wasm = backend as unknown as WasmBackend;
      let exports = instances.get(backend);
      if (!exports) {
        exports = instantiate(module, { env: { memory: wasm.wasm.asm.memory } }) as T;
        instances.set(backend, exports);
      }
      return { exports, backend: wasm };
    },
  };
}

/** Byte offset of a tensor's data on the wasm heap. */
export const heapOffset = (backend: WasmBackend, info: TensorInfo): number => backend.dataIdMap.get(info.dataId).memoryOffset;

const simdModule = heapModule<SimdExports>('passes', WAT);
const simdByBackend = new WeakMap<object, Passes>();

/** The SIMD product (see SimdExports) on a wasm backend, else null. */
export function simdProduct(backend: object): SimdExports['product'] | null {
  return simdModule.on(backend)?.exports.product ?? null;
}

/** The passes for `backend`: the SIMD module on the wasm backend (once compiled), else JS loops. */
export function passes(backend: object): Passes {
  const simd = simdModule.on(backend);
  if (!simd) return jsPasses(backend);
  let p = simdByBackend.get(backend);
  if (!p) {
    p = simdPasses(simd.backend, simd.exports);
    simdByBackend.set(backend, p);
  }
  return p;
}
