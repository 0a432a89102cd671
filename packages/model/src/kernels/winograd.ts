/**
 * 3×3, stride-1, 'same' convolutions by Winograd's minimal filtering F(m×m, 3×3) (Lavin & Gray,
 * "Fast Algorithms for Convolutional Neural Networks", CVPR 2016): each m×m output tile is
 *   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A           (d: the α×α input tile, α = m + 2; g: the 3×3 filter)
 * Over channels the α² element-wise products become α² matrix products M[k] = V[k]·U[k]
 * ([tiles, Ci]·[Ci, Co]), which run on the SIMD `product` (product.ts): the model's GEMM-shaped
 * convolutions already ran at that kernel's (and XNNPACK's) speed, so fewer multiplies was the way
 * to a faster step. The filter gradient is the adjoint: dU[k] = Σ_tiles V[k]ᵀ·dM[k] with
 * dM = A dY Aᵀ, dg = Gᵀ dU G. The input gradient needs nothing here: Conv2DBackpropInput is a
 * forward conv (conv2d_backprop_input.ts).
 *
 * Tiles go in chunks of TILES so that a chunk's V and M stay in the core's L2 cache between the
 * input transform, the products and the output transform. Input and output are padded to whole
 * tiles (x also by the conv's one-pixel border); only sizes that are not a multiple of m need a
 * crop or pad copy. The transforms are WebAssembly SIMD over 4 channels (or filter entries) at a
 * time (C % 4 = 0) on the backend's heap: winograd.wat, unrolled from the transform matrices by
 * scripts/winograd-wat.ts.
 */
import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { KernelCaller } from './call.ts';
import { heapModule, heapOffset, output } from './heap.ts';
import { simdProduct } from './product.ts';
import winogradWasm from './winograd.wat';

/**
 * F(4×4, 3×3) (interpolation points 0, ±1, ±2, ∞): 36 products per 16 outputs, 4× fewer multiplies
 * than direct convolution (F(2×2, 3×3): 2.25×), and fewer transformed floats per output pixel
 * (36/16 against 16/4). Float32 error on layer-sized random data: ~2e-6 relative RMS from the direct
 * convolution (F(2×2, 3×3): ~1e-7 more accurate, but transforms moving nearly twice the floats).
 * Output tile size m, input tile size α = m + 2, α² planes; winograd.wat was generated for m = 4.
 */
const m = 4;
const alpha = m + 2;
const planes = alpha * alpha;

/** Tiles per chunk: a chunk's V and M are 36·TILES·(Ci + Co) floats, ≤ 0.7 MB for 64 → 128 channels. */
const TILES = 24;

interface WinogradExports {
  input(p: number, o: number, n: number, tx: number, ty: number, tW: number, tH: number, C: number, row: number, vk: number): void;
  output(o: number, p: number, n: number, tx: number, tW: number, C: number, row: number, mk: number, bias: number, floor: number): void;
  outputGrad(p: number, o: number, n: number, tx: number, tW: number, C: number, row: number, mk: number): void;
  filter(p: number, o: number, bytes: number, inStride: number, outStride: number): void;
  filterGrad(p: number, o: number, bytes: number, inStride: number, outStride: number): void;
}

const winogradModule = heapModule<WinogradExports>(winogradWasm);

/** Tile geometry of a [B, H, W, ·] activation and the chunk loop over its tiles. */
function tiling(B: number, H: number, W: number) {
  const tH = Math.ceil(H / m);
  const tW = Math.ceil(W / m);
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
 * The wasm-heap pieces Winograd runs on for the convolution `conv`, or null where it doesn't apply:
 * not the wasm backend, not 3×3 / stride 1 / undilated / 'same', or
 * channel counts the SIMD code doesn't take (Ci % 4 ≠ 0, Co % 16 ≠ 0).
 */
export function winogradOn(backend: object, conv: backend_util.Conv2DInfo) {
  const module = winogradModule.on(backend);
  const product = simdProduct(backend);
  const same3x3 =
    conv.filterHeight === 3 &&
    conv.filterWidth === 3 &&
    conv.strideHeight === 1 &&
    conv.strideWidth === 1 &&
    conv.dilationHeight === 1 &&
    conv.dilationWidth === 1 &&
    conv.padInfo.top === 1 &&
    conv.padInfo.left === 1 &&
    conv.outHeight === conv.inHeight &&
    conv.outWidth === conv.inWidth;
  if (!module || !product || !same3x3 || conv.inChannels % 4 !== 0 || conv.outChannels % 16 !== 0) return null;
  return { wasm: module.backend, transforms: module.exports, product };
}
type Winograd = NonNullable<ReturnType<typeof winogradOn>>;

/**
 * What both directions share: x [B, H, W, Ci] padded by the conv's one-pixel border and to whole
 * tiles, its tiles in chunks, and each chunk's input transform V (planes of chunkRows·Ci floats).
 */
function inputTiles(k: KernelCaller, w: Winograd, x: TensorInfo) {
  const [B, H, W, Ci] = x.shape;
  const { tH, tW, chunks } = tiling(B, H, W);
  const [Hp, Wp] = [m * tH + 2, m * tW + 2];
  const xp = k.call(
    'PadV2',
    { x },
    {
      paddings: [
        [0, 0],
        [1, Hp - 1 - H],
        [1, Wp - 1 - W],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const V = output(w.wasm, [planes * chunkRows * Ci + 4], false).info; // + 4: the product reads up to two rows on
  const [at, cbi, vk] = [(info: TensorInfo) => heapOffset(w.wasm, info), 4 * Ci, chunkRows * 4 * Ci];
  return {
    tH,
    tW,
    /** Whether H and W are whole tiles (else tile-padded arrays need a crop or pad). */
    whole: H % m === 0 && W % m === 0,
    at,
    V,
    vk,
    /**
     * For each chunk, with V holding its transformed tiles: f(n tiles, first tile column, tile(base, C)),
     * tile giving the first tile's address in a tile-padded [B, m·tH, m·tW, C] array at `base` and that
     * array's row bytes.
     */
    chunks(f: (n: number, tx: number, tile: (base: number, C: number) => [at: number, row: number]) => void) {
      chunks((b, ty, tx, n) => {
        w.transforms.input(at(xp) + ((b * Hp + m * ty) * Wp + m * tx) * cbi, at(V), n, tx, ty, tW, tH, Ci, Wp * cbi, vk);
        f(n, tx, (base, C) => [base + ((b * m * tH + m * ty) * m * tW + m * tx) * 4 * C, m * tW * 4 * C]);
      });
    },
    free: () => k.free(xp, V),
  };
}

/**
 * relu?(conv2d(x, filter, 'same') + bias) for a 3×3 filter [3, 3, Ci, Co], stride 1, NHWC.
 * `bias` null: no bias. `relu` false: linear.
 */
export function winogradConv2d(k: KernelCaller, w: Winograd, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | null, relu: boolean): TensorInfo {
  const [B, H, W, Ci] = x.shape;
  const Co = filter.shape[3];
  const tiles = inputTiles(k, w, x);
  const { at, V, vk } = tiles;
  const U = output(w.wasm, [planes, Ci, Co], false).info;
  const zeroBias = bias ? null : output(w.wasm, [Co]).info;
  const y = output(w.wasm, [B, m * tiles.tH, m * tiles.tW, Co], false).info;
  const M = output(w.wasm, [planes * chunkRows * Co], false).info;
  const [mk, uk] = [chunkRows * 4 * Co, Ci * 4 * Co];
  w.transforms.filter(at(filter), at(U), uk, uk, uk);
  tiles.chunks((n, tx, tile) => {
    for (let kk = 0; kk < planes; kk++) w.product(at(V) + kk * vk, at(U) + kk * uk, at(M) + kk * mk, n, Ci, Co, 4 * Ci, 4, 0);
    const [yAt, row] = tile(at(y), Co);
    w.transforms.output(at(M), yAt, n, tx, tiles.tW, Co, row, mk, at(bias ?? zeroBias!), relu ? 0 : -Infinity);
  });
  tiles.free();
  k.free(U, M, ...(zeroBias ? [zeroBias] : []));
  if (tiles.whole) return y;
  const out = k.call('Slice', { x: y }, { begin: [0, 0, 0, 0], size: [B, H, W, Co] });
  k.free(y);
  return out;
}

/** The gradient of conv2d(x, filter [3, 3, Ci, Co], 'same', stride 1) w.r.t. the filter, given dy [B, H, W, Co]. */
export function winogradFilterGrad(k: KernelCaller, w: Winograd, x: TensorInfo, dy: TensorInfo): TensorInfo {
  const [, H, W, Ci] = x.shape;
  const Co = dy.shape[3];
  const tiles = inputTiles(k, w, x);
  const { at, V, vk } = tiles;
  const dyp = tiles.whole
    ? dy
    : k.call(
        'PadV2',
        { x: dy },
        {
          paddings: [
            [0, 0],
            [0, m * tiles.tH - H],
            [0, m * tiles.tW - W],
            [0, 0],
          ],
          constantValue: 0,
        },
      );
  const CiRows = Math.ceil(Ci / 3) * 3;
  const dU = output(w.wasm, [planes, CiRows, Co], false).info;
  const dM = output(w.wasm, [planes * chunkRows * Co], false).info;
  const dW = output(w.wasm, [3, 3, Ci, Co], false).info;
  const [mk, uk] = [chunkRows * 4 * Co, CiRows * 4 * Co];
  let first = 1;
  tiles.chunks((n, tx, tile) => {
    const [dyAt, row] = tile(at(dyp), Co);
    w.transforms.outputGrad(dyAt, at(dM), n, tx, tiles.tW, Co, row, mk);
    // dU[k] (+)= V[k]ᵀ · dM[k]: Vᵀ read in place (row stride one float, step one tile row).
    for (let kk = 0; kk < planes; kk++) w.product(at(V) + kk * vk, at(dM) + kk * mk, at(dU) + kk * uk, Ci, n, Co, 4, 4 * Ci, 1 - first);
    first = 0;
  });
  // dg = Gᵀ dU G over the first Ci rows of each plane (planes of CiRows·Co floats).
  w.transforms.filterGrad(at(dU), at(dW), Ci * 4 * Co, uk, Ci * 4 * Co);
  tiles.free();
  k.free(dU, dM, ...(dyp === dy ? [] : [dyp]));
  return dW;
}
