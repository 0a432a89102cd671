/**
 * Writes src/kernels/winograd.wat, the WebAssembly SIMD transforms of Winograd's minimal filtering
 * F(4×4, 3×3) (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR 2016), unrolled
 * from the transform matrices below: the input transform Bᵀ d B, the output transform Aᵀ M A (+ bias,
 * ReLU), its adjoint A dY Aᵀ, and the filter transforms G g Gᵀ and Gᵀ dU G. The matrices are constants,
 * so the module is generated once and committed; test/winograd-wat.test.ts checks the file is this
 * script's output. Regenerate after changing a matrix (and the tile size m in winograd.ts):
 *   npx tsx packages/model/scripts/winograd-wat.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The transform matrices of F(4×4, 3×3), interpolation points 0, ±1, ±2, ∞ (winograd.ts says why this size). */
const BT = [
  [4, 0, -5, 0, 1, 0],
  [0, -4, -4, 1, 1, 0],
  [0, 4, -4, -1, 1, 0],
  [0, -2, -1, 2, 1, 0],
  [0, 2, -1, -2, 1, 0],
  [0, 4, 0, -5, 0, 1],
];
const G = [
  [1 / 4, 0, 0],
  [-1 / 6, -1 / 6, -1 / 6],
  [-1 / 6, 1 / 6, -1 / 6],
  [1 / 24, 1 / 12, 1 / 6],
  [1 / 24, -1 / 12, 1 / 6],
  [0, 0, 1],
];
const AT = [
  [1, 1, 1, 1, 1, 0],
  [0, 1, -1, 2, -2, 0],
  [0, 1, 1, 4, 4, 0],
  [0, 1, -1, 8, -8, 1],
];
/** Output tile size m and input tile size α = m + 2; α² planes. */
const m = AT.length;
const alpha = m + 2;
const planes = alpha * alpha;
const transpose = (a: number[][]) => a[0].map((_, j) => a.map((row) => row[j]));
const A = transpose(AT);

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const get = (name: string) => `(local.get $${name})`;
/** The v128 locals of transform2d: a column's inputs $d, the column pass's results $t. */
const locals = [...range(alpha).map((c) => `(local $d${c} v128)`), ...range(planes).map((k) => `(local $t${k} v128)`)].join(' ');
/** Address of plane k of a chunk array: $q (tile, channel group) + k·$stride. */
const plane = (k: number, stride: string, base = 'q') =>
  k ? `(i32.add (local.get $${base}) (i32.mul (local.get $${stride}) (i32.const ${k})))` : `(local.get $${base})`;
/** Address of pixel (r, s) of the tile at $p: r rows of $row bytes, s pixels of $cb bytes, plus channel group $c. */
const pixel = (r: number, s: number) => {
  let at = '(local.get $p)';
  if (r) at = `(i32.add ${at} ${r === 1 ? get('row') : `(i32.mul (local.get $row) (i32.const ${r}))`})`;
  if (s) at = `(i32.add ${at} ${s === 1 ? get('cb') : `(i32.mul (local.get $cb) (i32.const ${s}))`})`;
  return `(i32.add ${at} (local.get $c))`;
};

/** Σ coefs[i]·xs[i] as an f32x4 expression: ±1 as additions and subtractions, others as products by a constant. */
function combine(coefs: number[], xs: string[]): string {
  let sum = '';
  // A positive term first, so that no negation is needed where there is one.
  const order = range(coefs.length).sort((i, j) => Number(coefs[j] > 0) - Number(coefs[i] > 0));
  order.forEach((i) => {
    const c = coefs[i];
    if (c === 0) return;
    const term = Math.abs(c) === 1 ? xs[i] : `(f32x4.mul ${xs[i]} (v128.const f32x4 ${Array(4).fill(Math.abs(c)).join(' ')}))`;
    if (!sum) sum = c < 0 ? `(f32x4.neg ${term})` : term;
    else sum = `(${c < 0 ? 'f32x4.sub' : 'f32x4.add'} ${sum} ${term})`;
  });
  return sum;
}

/**
 * WAT for a separable 2-D transform out = L·in·Lᵀ of one tile (L: rows × cols), 4 channels at a time:
 * first down each column into locals $t, then along each row into `store(r, s, value)`.
 */
function transform2d(L: number[][], load: (r: number, s: number) => string, store: (r: number, s: number, v: string) => string): string {
  const [rows, cols] = [L.length, L[0].length];
  const columnPass = range(cols).flatMap((s) => [
    ...range(cols).map((c) => `(local.set $d${c} ${load(c, s)})`),
    ...range(rows).map(
      (r) =>
        `(local.set $t${r * alpha + s} ${combine(
          L[r],
          range(cols).map((c) => get(`d${c}`)),
        )})`,
    ),
  ]);
  const rowPass = range(rows).flatMap((r) =>
    range(rows).map((s) =>
      store(
        r,
        s,
        combine(
          L[s],
          range(cols).map((c) => get(`t${r * alpha + c}`)),
        ),
      ),
    ),
  );
  return [...columnPass, ...rowPass].join('\n      ');
}

/** Tile bookkeeping after each tile: the next tile's top-left is m pixels right, or at the next tile row. */
const nextTile = (rowWrap: string, extra = '') => `
    (local.set $p (i32.add (local.get $p) (i32.mul (local.get $cb) (i32.const ${m}))))
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
      (local.set $q (i32.add (local.get $o) (local.get $c)))
      ${body}
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br_if $ch (i32.lt_u (local.get $c) (local.get $cb))))`;

/**
 * A filter-side transform L·g·Lᵀ (G g Gᵀ: 3×3 → α×α; Gᵀ dU G: α×α → 3×3) as a WAT function over
 * `bytes` of each plane, 4 (ci, co) pairs at a time: plane k of the input at $p + k·$in, of the
 * output at $o + k·$out (k = row·width + column).
 */
const filterTransform = (name: string, L: number[][]) => `
  (func (export "${name}") (param $p i32) (param $o i32) (param $bytes i32) (param $in i32) (param $out i32)
    (local $c i32) (local $q i32) (local $r i32) ${locals}
    (loop $ch
      (local.set $r (i32.add (local.get $p) (local.get $c)))
      (local.set $q (i32.add (local.get $o) (local.get $c)))
      ${transform2d(
        L,
        (r, s) => `(v128.load ${plane(r * L[0].length + s, 'in', 'r')})`,
        (r, s, v) => `(v128.store ${plane(r * L.length + s, 'out')} ${v})`,
      )}
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br_if $ch (i32.lt_u (local.get $c) (local.get $bytes)))))`;

const WAT = `(module
  (import "env" "memory" (memory 1))
  ;; V[k][i] = (Bᵀ d B)[k] for the n tiles from ($tx, $ty) on; $p: top-left of the first tile in the
  ;; padded input ($row bytes per padded row, m·$tH + 2 rows per image), $o: V's first row.
  (func (export "input") (param $p i32) (param $o i32) (param $n i32) (param $tx i32) (param $ty i32) (param $tW i32) (param $tH i32) (param $C i32) (param $row i32) (param $vk i32)
    (local $cb i32) (local $c i32) (local $q i32) ${locals}
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (loop $tiles${channels(
      transform2d(
        BT,
        (r, s) => `(v128.load ${pixel(r, s)})`,
        (r, s, v) => `(v128.store ${plane(r * alpha + s, 'vk')} ${v})`,
      ),
    )}${nextTile(
      `(i32.sub (i32.mul (local.get $row) (i32.const ${m})) (i32.mul (local.get $tW) (i32.mul (local.get $cb) (i32.const ${m}))))`,
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
    (local $cb i32) (local $c i32) (local $q i32) (local $lo v128) (local $b v128) ${locals}
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $lo (f32x4.splat (local.get $floor)))
    (loop $tiles${channels(`(local.set $b (v128.load (i32.add (local.get $bias) (local.get $c))))
      ${transform2d(
        AT,
        (r, s) => `(v128.load ${plane(r * alpha + s, 'mk')})`,
        (r, s, v) => `(v128.store ${pixel(r, s)} (f32x4.max (f32x4.add ${v} (local.get $b)) (local.get $lo)))`,
      )}`)}${nextTile(`(i32.mul (local.get $row) (i32.const ${m - 1}))`)}))
  ;; dM[k][i] = (A dY Aᵀ)[k] for the n tiles from $tx on; $p: top-left of the first tile in the
  ;; tile-padded dy ($row bytes per row), $o: dM's first row.
  (func (export "outputGrad") (param $p i32) (param $o i32) (param $n i32) (param $tx i32) (param $tW i32) (param $C i32) (param $row i32) (param $mk i32)
    (local $cb i32) (local $c i32) (local $q i32) ${locals}
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (loop $tiles${channels(
      transform2d(
        A,
        (r, s) => `(v128.load ${pixel(r, s)})`,
        (r, s, v) => `(v128.store ${plane(r * alpha + s, 'mk')} ${v})`,
      ),
    )}${nextTile(`(i32.mul (local.get $row) (i32.const ${m - 1}))`)}))${filterTransform('filter', G)}${filterTransform('filterGrad', transpose(G))}
)`;

/** The text of winograd.wat. */
export function winogradWat(): string {
  return `;; Generated by packages/model/scripts/winograd-wat.ts from the F(${m}×${m}, 3×3) matrices: regenerate, don't edit.
;; The transforms of winograd.ts, 4 channels (or filter entries) at a time, on the tfjs wasm backend's
;; heap (imported memory; pointers and strides in bytes).
${WAT}
`;
}

export const WINOGRAD_WAT = fileURLToPath(new URL('../src/kernels/winograd.wat', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeFileSync(WINOGRAD_WAT, winogradWat());
