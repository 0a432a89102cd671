/**
 * 3×3, stride-1, 'same' convolutions by Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray,
 * "Fast Algorithms for Convolutional Neural Networks", CVPR 2016): each 2×2 output tile is
 *   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A           (d: the 4×4 input tile, g: the 3×3 filter)
 * so a tile costs 16 multiplies per (ci, co) pair instead of 36. Over channels the 16 element-wise
 * products become 16 matrix products M[k] = V[k]·U[k] ([tiles, Ci]·[Ci, Co]), which run on the SIMD
 * `product` of passes.ts: the six GEMM-shaped convolutions of the model were at that kernel's (and
 * XNNPACK's) speed already, so 2.25× fewer multiplies is the only way left to a faster step.
 * The filter gradient is the adjoint: dU[k] = Σ_tiles V[k]ᵀ·dM[k] with dM = A dY Aᵀ, dg = Gᵀ dU G.
 * The input gradient needs nothing here: Conv2DBackpropInput is a forward conv (conv2d_backprop_input.ts).
 *
 * Tiles go in chunks of TILES so that a chunk's V and M (16 planes each) stay in the core's L2 cache
 * between the input transform, the products and the output transform. Input and output are
 * padded to whole tiles (x by the conv's one-pixel border); only odd H or W need a crop or pad copy.
 * The transforms are WebAssembly SIMD over 4 channels at a time (C % 4 = 0), on the backend's heap.
 * Float32 error: the transforms add at most 4 terms per stage (exact ×½ in G), so results differ
 * from direct convolution by a few ulp of the sums (tested against the cpu backend at 1e-4).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelCaller } from './call.ts';
import { floats, output } from './heap.ts';
import { heapModule, heapOffset, simdProduct, type WasmBackend } from './passes.ts';

/** Tiles per chunk: V and M of a chunk are 16·TILES·(Ci + Co) floats, ≤ 1.2 MB for 64 → 128 channels. */
const TILES = 96;

const k16 = Array.from({ length: 16 }, (_, k) => k);
const get = (name: string) => `(local.get $${name})`;
const locals = (prefix: string) => k16.map((k) => `(local $${prefix}${k} v128)`).join(' ');
/** Address of plane k of a chunk array: $q (tile, channel group) + k·$stride. */
const plane = (k: number, stride: string) => `(i32.add (local.get $q) (i32.mul (local.get $${stride}) (i32.const ${k})))`;
/** Address of pixel (r, s) of the tile at $p: r rows of $row bytes, s pixels of $cb bytes, plus channel group $c. */
const pixel = (r: number, s: number) => {
  let at = '(local.get $p)';
  if (r) at = `(i32.add ${at} ${r === 1 ? get('row') : `(i32.mul (local.get $row) (i32.const ${r}))`})`;
  if (s) at = `(i32.add ${at} ${s === 1 ? get('cb') : `(i32.mul (local.get $cb) (i32.const ${s}))`})`;
  return `(i32.add ${at} (local.get $c))`;
};
const add = (a: string, b: string) => `(f32x4.add ${a} ${b})`;
const sub = (a: string, b: string) => `(f32x4.sub ${a} ${b})`;

/** Bᵀ applied to four values of a column or row: (d0 − d2, d1 + d2, d2 − d1, d1 − d3). */
const inputStage = (d: string[]) => [sub(d[0], d[2]), add(d[1], d[2]), sub(d[2], d[1]), sub(d[1], d[3])];
/** Aᵀ: (m0 + m1 + m2, m1 − m2 − m3). */
const outputStage = (m: string[]) => [add(add(m[0], m[1]), m[2]), sub(sub(m[1], m[2]), m[3])];
/** A (the adjoint of Aᵀ): (g0, g0 + g1, g0 − g1, −g1). */
const outputGradStage = (g: string[]) => [g[0], add(g[0], g[1]), sub(g[0], g[1]), `(f32x4.neg ${g[1]})`];

/** Tile bookkeeping after each tile: the next tile's top-left is 2 pixels right, or at the next tile row. */
const nextTile = (rowWrap: string, extra = '') => `
    (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cb) (i32.const 1))))
    (local.set $tx (i32.add (local.get $tx) (i32.const 1)))
    (if (i32.eq (local.get $tx) (local.get $tW))
      (then
        (local.set $tx (i32.const 0))
        (local.set $p (i32.add (local.get $p) ${rowWrap}))${extra}))
    (local.set $o (i32.add (local.get $o) (local.get $cb)))
    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    (br_if $tiles (local.get $n))`;

/** Loop over the channel groups of one tile. */
const channels = (body: string) => `
    (local.set $c (i32.const 0))
    (loop $ch
      (local.set $q (i32.add (local.get $o) (local.get $c)))${body}
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br_if $ch (i32.lt_u (local.get $c) (local.get $cb))))`;

const WAT = `(module
  (import "env" "memory" (memory 1))
  ;; V[k][i] = (Bᵀ d B)[k] for the n tiles from ($tx, $ty) on; $p: top-left of the first tile in the
  ;; padded input ($row bytes per padded row, 2·$tH + 2 rows per image), $o: V's first row.
  (func (export "input") (param $p i32) (param $o i32) (param $n i32) (param $tx i32) (param $ty i32) (param $tW i32) (param $tH i32) (param $C i32) (param $row i32) (param $vk i32)
    (local $cb i32) (local $c i32) (local $q i32) ${locals('t')}
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (loop $tiles${channels(`
      ${[0, 1, 2, 3]
        .map((s) => inputStage([0, 1, 2, 3].map((r) => `(v128.load ${pixel(r, s)})`)).map((e, r) => `(local.set $t${r * 4 + s} ${e})`).join('\n      '))
        .join('\n      ')}
      ${[0, 1, 2, 3]
        .map((r) => inputStage([0, 1, 2, 3].map((s) => get(`t${r * 4 + s}`))).map((e, s) => `(v128.store ${plane(r * 4 + s, 'vk')} ${e})`).join('\n      '))
        .join('\n      ')}`)}${nextTile(
      '(i32.sub (i32.shl (local.get $row) (i32.const 1)) (i32.mul (local.get $tW) (i32.shl (local.get $cb) (i32.const 1))))',
      `
        (local.set $ty (i32.add (local.get $ty) (i32.const 1)))
        (if (i32.eq (local.get $ty) (local.get $tH))
          (then
            (local.set $ty (i32.const 0))
            (local.set $p (i32.add (local.get $p) (i32.shl (local.get $row) (i32.const 1))))))`,
    )}))
  ;; y = max(Aᵀ M A + bias, floor) for the n tiles from $tx on; $p: top-left of the first tile in the
  ;; tile-padded output ($row bytes per row), $o: M's first row.
  (func (export "output") (param $o i32) (param $p i32) (param $n i32) (param $tx i32) (param $tW i32) (param $C i32) (param $row i32) (param $mk i32) (param $bias i32) (param $floor f32)
    (local $cb i32) (local $c i32) (local $q i32) (local $lo v128) (local $b v128) ${locals('s')}
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $lo (f32x4.splat (local.get $floor)))
    (loop $tiles${channels(`
      ${[0, 1, 2, 3]
        .map((s) => outputStage([0, 1, 2, 3].map((r) => `(v128.load ${plane(r * 4 + s, 'mk')})`)).map((e, r) => `(local.set $s${r * 4 + s} ${e})`).join('\n      '))
        .join('\n      ')}
      (local.set $b (v128.load (i32.add (local.get $bias) (local.get $c))))
      ${[0, 1]
        .map((r) => outputStage([0, 1, 2, 3].map((s) => get(`s${r * 4 + s}`))).map((e, s) => `(v128.store ${pixel(r, s)} (f32x4.max (f32x4.add ${e} (local.get $b)) (local.get $lo)))`).join('\n      '))
        .join('\n      ')}`)}${nextTile('(local.get $row)')}))
  ;; dM[k][i] = (A dY Aᵀ)[k] for the n tiles from $tx on; $p: top-left of the first tile in the
  ;; tile-padded dy ($row bytes per row), $o: dM's first row.
  (func (export "outputGrad") (param $p i32) (param $o i32) (param $n i32) (param $tx i32) (param $tW i32) (param $C i32) (param $row i32) (param $mk i32)
    (local $cb i32) (local $c i32) (local $q i32) ${locals('s')}
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (loop $tiles${channels(`
      ${[0, 1]
        .map((s) => outputGradStage([0, 1].map((r) => `(v128.load ${pixel(r, s)})`)).map((e, r) => `(local.set $s${r * 4 + s} ${e})`).join('\n      '))
        .join('\n      ')}
      ${[0, 1, 2, 3]
        .map((r) => outputGradStage([0, 1].map((s) => get(`s${r * 4 + s}`))).map((e, s) => `(v128.store ${plane(r * 4 + s, 'mk')} ${e})`).join('\n      '))
        .join('\n      ')}`)}${nextTile('(local.get $row)')}))
)`;

interface WinogradExports {
  input(p: number, o: number, n: number, tx: number, ty: number, tW: number, tH: number, C: number, row: number, vk: number): void;
  output(o: number, p: number, n: number, tx: number, tW: number, C: number, row: number, mk: number, bias: number, floor: number): void;
  outputGrad(p: number, o: number, n: number, tx: number, tW: number, C: number, row: number, mk: number): void;
}

const winogradModule = heapModule<WinogradExports>('winograd', WAT);

/** Compile the transforms (once per thread, with the passes, when the wasm backend starts). */
export const compileWinograd = (): Promise<void> => winogradModule.compile();

/** G g Gᵀ's 1-D step: (g0, (g0 + g1 + g2)/2, (g0 − g1 + g2)/2, g2). */
const filterStage = (g0: number, g1: number, g2: number) => [g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2];
/** Gᵀ dU G's 1-D step: (u0 + (u1 + u2)/2, (u1 − u2)/2, (u1 + u2)/2 + u3). */
const filterGradStage = (u0: number, u1: number, u2: number, u3: number) => [u0 + (u1 + u2) / 2, (u1 - u2) / 2, (u1 + u2) / 2 + u3];

/** Tile geometry of a [B, H, W, ·] activation and the chunk loop over its tiles. */
function tiling(B: number, H: number, W: number) {
  const tH = Math.ceil(H / 2);
  const tW = Math.ceil(W / 2);
  const tiles = B * tH * tW;
  return {
    tH,
    tW,
    /** Calls f for each chunk: its first tile (image b, tile row ty, tile column tx) and size n. */
    chunks(f: (b: number, ty: number, tx: number, n: number) => void) {
      for (let t = 0; t < tiles; t += TILES) {
        const b = Math.floor(t / (tH * tW));
        const r = t % (tH * tW);
        f(b, Math.floor(r / tW), r % tW, Math.min(TILES, tiles - t));
      }
    },
  };
}

/** Rows of a chunk array: the product computes rows in threes. */
const chunkRows = Math.ceil(TILES / 3) * 3;

/**
 * The wasm-heap pieces Winograd runs on, or null where it doesn't apply (not the wasm backend with
 * the modules compiled, or channel counts the SIMD code doesn't take: Ci % 4 ≠ 0, Co % 16 ≠ 0).
 */
export function winogradOn(backend: object, Ci: number, Co: number) {
  const module = winogradModule.on(backend);
  const product = simdProduct(backend);
  if (!module || !product || Ci % 4 !== 0 || Co % 16 !== 0) return null;
  return { wasm: module.backend, transforms: module.exports, product };
}
type Winograd = NonNullable<ReturnType<typeof winogradOn>>;

/** x padded by the conv's one-pixel border and to whole tiles: [B, 2·tH + 2, 2·tW + 2, C]. */
function padInput(k: KernelCaller, x: TensorInfo, tH: number, tW: number): TensorInfo {
  const [, H, W] = x.shape;
  return k.call('PadV2', { x }, { paddings: [[0, 0], [1, 2 * tH + 1 - H], [1, 2 * tW + 1 - W], [0, 0]], constantValue: 0 });
}

/**
 * relu?(conv2d(x, filter, 'same') + bias) for a 3×3 filter [3, 3, Ci, Co], stride 1, NHWC.
 * `bias` null: no bias. `relu` false: linear.
 */
export function winogradConv2d(k: KernelCaller, w: Winograd, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | null, relu: boolean): TensorInfo {
  const [B, H, W, Ci] = x.shape;
  const Co = filter.shape[3];
  const { tH, tW, chunks } = tiling(B, H, W);
  const xp = padInput(k, x, tH, tW);
  const U = output(w.wasm, [16, Ci, Co], false).info;
  const zeroBias = bias ? null : output(w.wasm, [Co]).info;
  const cropped = H % 2 === 0 && W % 2 === 0;
  const y = output(w.wasm, [B, 2 * tH, 2 * tW, Co], false).info;
  const V = output(w.wasm, [16 * chunkRows * Ci + 4], false).info; // + 4: the product reads up to two rows on
  const M = output(w.wasm, [16 * chunkRows * Co], false).info;
  // Filter transform (JS: 16·Ci·Co values per call). Views are taken after every allocation (the heap may grow).
  const g = floats(w.wasm, filter);
  const u = floats(w.wasm, U);
  const P = Ci * Co;
  for (let e = 0; e < P; e++) {
    const cols = [0, 1, 2].map((kh) => filterStage(g[(kh * 3) * P + e], g[(kh * 3 + 1) * P + e], g[(kh * 3 + 2) * P + e]));
    for (let j = 0; j < 4; j++) filterStage(cols[0][j], cols[1][j], cols[2][j]).forEach((v, i) => (u[(i * 4 + j) * P + e] = v));
  }
  const at = (info: TensorInfo) => heapOffset(w.wasm, info);
  const [cbi, cbo] = [4 * Ci, 4 * Co];
  const [Wp, Hp] = [2 * tW + 2, 2 * tH + 2];
  const [vk, mk, uk] = [chunkRows * cbi, chunkRows * cbo, P * 4];
  chunks((b, ty, tx, n) => {
    w.transforms.input(at(xp) + ((b * Hp + 2 * ty) * Wp + 2 * tx) * cbi, at(V), n, tx, ty, tW, tH, Ci, Wp * cbi, vk);
    for (let kk = 0; kk < 16; kk++) w.product(at(V) + kk * vk, at(U) + kk * uk, at(M) + kk * mk, n, Ci, Co, cbi, 4, 0);
    w.transforms.output(at(M), at(y) + ((b * 2 * tH + 2 * ty) * 2 * tW + 2 * tx) * cbo, n, tx, tW, Co, 2 * tW * cbo, mk, at(bias ?? zeroBias!), relu ? 0 : -Infinity);
  });
  k.free(xp, U, V, M, ...(zeroBias ? [zeroBias] : []));
  if (cropped) return y;
  const out = k.call('Slice', { x: y }, { begin: [0, 0, 0, 0], size: [B, H, W, Co] });
  k.free(y);
  return out;
}

/** The gradient of conv2d(x, filter [3, 3, Ci, Co], 'same', stride 1) w.r.t. the filter, given dy [B, H, W, Co]. */
export function winogradFilterGrad(k: KernelCaller, w: Winograd, x: TensorInfo, dy: TensorInfo): TensorInfo {
  const [B, H, W, Ci] = x.shape;
  const Co = dy.shape[3];
  const { tH, tW, chunks } = tiling(B, H, W);
  const xp = padInput(k, x, tH, tW);
  const dyp = H % 2 === 0 && W % 2 === 0 ? dy : k.call('PadV2', { x: dy }, { paddings: [[0, 0], [0, 2 * tH - H], [0, 2 * tW - W], [0, 0]], constantValue: 0 });
  const CiRows = Math.ceil(Ci / 3) * 3;
  const dU = output(w.wasm, [16, CiRows, Co], false).info;
  const V = output(w.wasm, [16 * chunkRows * Ci + 4], false).info;
  const dM = output(w.wasm, [16 * chunkRows * Co], false).info;
  const dW = output(w.wasm, [3, 3, Ci, Co], false).info;
  const at = (info: TensorInfo) => heapOffset(w.wasm, info);
  const [cbi, cbo] = [4 * Ci, 4 * Co];
  const [Wp, Hp] = [2 * tW + 2, 2 * tH + 2];
  const [vk, mk, uk] = [chunkRows * cbi, chunkRows * cbo, CiRows * cbo];
  let first = 1;
  chunks((b, ty, tx, n) => {
    w.transforms.input(at(xp) + ((b * Hp + 2 * ty) * Wp + 2 * tx) * cbi, at(V), n, tx, ty, tW, tH, Ci, Wp * cbi, vk);
    w.transforms.outputGrad(at(dyp) + ((b * 2 * tH + 2 * ty) * 2 * tW + 2 * tx) * cbo, at(dM), n, tx, tW, Co, 2 * tW * cbo, mk);
    // dU[k] (+)= V[k]ᵀ · dM[k]: Vᵀ read in place (row stride one float, step one tile row).
    for (let kk = 0; kk < 16; kk++) w.product(at(V) + kk * vk, at(dM) + kk * mk, at(dU) + kk * uk, Ci, n, Co, 4, cbi, 1 - first);
    first = 0;
  });
  const du = floats(w.wasm, dU);
  const dg = floats(w.wasm, dW);
  const P = Ci * Co;
  const plane = CiRows * Co;
  for (let e = 0; e < P; e++) {
    const rows = [0, 1, 2, 3].map((i) => filterGradStage(du[i * 4 * plane + e], du[(i * 4 + 1) * plane + e], du[(i * 4 + 2) * plane + e], du[(i * 4 + 3) * plane + e]));
    for (let kw = 0; kw < 3; kw++) filterGradStage(rows[0][kw], rows[1][kw], rows[2][kw], rows[3][kw]).forEach((v, kh) => (dg[(kh * 3 + kw) * P + e] = v));
  }
  k.free(xp, dU, V, dM, ...(dyp === dy ? [] : [dyp]));
  return dW;
}
