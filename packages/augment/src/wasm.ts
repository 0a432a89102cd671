/**
 * A minimal WebAssembly encoder (binary format of the WebAssembly Core Specification 2.0, with its
 * fixed-width SIMD instructions): enough to build one module of one exported `(i32...) -> ()`
 * function over an exported memory, for float32 kernels JavaScript cannot express (JS arithmetic
 * is float64; Math.fround after every operation costs a conversion pair and serialises the work).
 */

type Bytes = number[];

/** Unsigned LEB128. */
const uleb = (n: number): Bytes => {
  const out: Bytes = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n ? b | 0x80 : b);
  } while (n);
  return out;
};

/** Signed LEB128 (i32.const immediates). */
const sleb = (n: number): Bytes => {
  const out: Bytes = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return out.concat(b);
    out.push(b | 0x80);
  }
};

const vec = (items: Bytes[]): Bytes => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: Bytes): Bytes => [id, ...uleb(body.length), ...body];
const name = (s: string): Bytes => vec([...s].map((c) => [c.charCodeAt(0)]));

export const I32 = 0x7f, V128 = 0x7b;

/** Instructions, as byte sequences to concatenate (stack machine, postfix order). */
export const op = {
  get: (l: number): Bytes => [0x20, ...uleb(l)],
  set: (l: number): Bytes => [0x21, ...uleb(l)],
  i32: (n: number): Bytes => [0x41, ...sleb(n)],
  i32Add: [0x6a],
  i32GeU: [0x4f],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  brIf: (depth: number): Bytes => [0x0d, ...uleb(depth)],
  br: (depth: number): Bytes => [0x0c, ...uleb(depth)],
  end: [0x0b],
  /** SIMD instruction `code` (0xfd prefix). */
  simd: (code: number): Bytes => [0xfd, ...uleb(code)],
  /** v128.load / v128.store with alignment 2^2 (float32 arrays), offset 0. */
  load: [0xfd, ...uleb(0x00), 2, 0],
  store: [0xfd, ...uleb(0x0b), 2, 0],
  /** v128.const of four equal float32 lanes. */
  f32x4: (x: number): Bytes => {
    const b = new Uint8Array(new Float32Array([x, x, x, x]).buffer);
    return [0xfd, ...uleb(0x0c), ...b];
  },
};

/** SIMD opcodes used by this package's kernels. */
export const SIMD = {
  f32x4Lt: 0x43,
  f32x4Ge: 0x46,
  bitselect: 0x52,
  and: 0x4e,
  f32x4Abs: 0xe0,
  f32x4Neg: 0xe1,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
};

/**
 * A module with one memory (exported as `memory`) and one function `name` taking `params` i32s,
 * with extra `locals` (grouped [count, type]) and the instruction bytes `body`.
 */
export function wasmModule(fn: string, params: number, locals: [number, number][], body: Bytes): Uint8Array {
  const type = [0x60, ...vec(Array.from({ length: params }, () => [I32])), 0x00];
  const code = [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...body, ...op.end];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([type])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...name(fn), 0x00, 0], [...name('memory'), 0x02, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}

/** The memory of an instance (the workspace's TypeScript libs do not type WebAssembly). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

/** Compile and instantiate a module without imports (synchronous: the modules here are tiny). */
export function instantiate(bytes: Uint8Array): Record<string, unknown> {
  const { Module, Instance } = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  return new Instance(new Module(bytes)).exports;
}

