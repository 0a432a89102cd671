/**
 * Types for WebAssembly modules written as WAT: `import bytes from './kernel.wat'` (compiled at build
 * time, see wat2wasm.js) and the slice of the WebAssembly JS API that instantiates them. Neither the
 * workspace's lib (ES2023) nor @types/node 20 declares `WebAssembly` (lib.dom does); if a later
 * @types/node does, this namespace merges with it and can go.
 */
declare module '*.wat' {
  /** The binary module compiled from the .wat file (wabt; SIMD and bulk memory enabled), on an ArrayBuffer of its own. */
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}

declare namespace WebAssembly {
  interface Memory {
    readonly buffer: ArrayBuffer;
    /** Grows by `pages` of 64 KiB; returns the previous size in pages. Detaches `buffer`. */
    grow(pages: number): number;
  }
  /** A compiled module (opaque). */
  interface Module {
    readonly [Symbol.toStringTag]: string;
  }
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  /** Synchronous compilation (fine in Node at any size; browsers limit it to small modules off the main thread). */
  const Module: new (bytes: Uint8Array) => Module;
  /** Synchronous instantiation of a compiled module. */
  const Instance: new (module: Module, imports?: object) => Instance;
}
