/**
 * Small WebAssembly SIMD kernels, written as WAT text (WebAssembly Core Specification 2.0 text
 * format) and compiled by wabt (the WebAssembly Binary Toolkit's wat2wasm, as the `wabt` npm
 * package). Kernels keep their WAT in a TS string: worker threads run an esbuild bundle that lives
 * elsewhere, so a .wat file next to the source could not be found from there.
 */

/** The slice of the WebAssembly JS API the kernels use (the workspace's ES2023 lib has no WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** A compiled WebAssembly.Module (opaque). */
export interface WasmModule {
  readonly [Symbol.toStringTag]: string;
}

declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports?: object) => { exports: Record<string, unknown> };
};

type Wabt = Awaited<ReturnType<typeof import('wabt')>>;

let wabt: Promise<Wabt> | null = null;
const compiled = new Map<string, Promise<WasmModule>>();

/**
 * `text` compiled to a WebAssembly.Module with the SIMD and bulk-memory features enabled, once per
 * text per thread (later calls share the first). wabt is imported on first use, so processes that
 * never compile a kernel do not load it. Errors (wabt's, with line and column in `<name>.wat`, or the
 * engine's) name the module.
 */
export function compileWat(name: string, text: string): Promise<WasmModule> {
  let module = compiled.get(text);
  if (!module) {
    module = compile(name, text);
    compiled.set(text, module);
  }
  return module;
}

async function compile(name: string, text: string): Promise<WasmModule> {
  wabt ??= import('wabt').then((m) => m.default());
  const tools = await wabt;
  try {
    const parsed = tools.parseWat(`${name}.wat`, text, { simd: true, bulk_memory: true });
    try {
      parsed.validate();
      return new WebAssembly.Module(parsed.toBinary({}).buffer);
    } finally {
      parsed.destroy();
    }
  } catch (e) {
    throw new Error(`WebAssembly module '${name}': ${(e as Error).message}`);
  }
}

/** The exports of a new instance of `module` (synchronous: an already compiled module instantiates at once). */
export function instantiate(module: WasmModule, imports?: object): Record<string, unknown> {
  return new WebAssembly.Instance(module, imports).exports;
}
