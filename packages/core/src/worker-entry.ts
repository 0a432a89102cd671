/** Worker side of pool.ts: runs the named export of the worker module per message (see worker-bundle.ts). */
import { parentPort } from 'node:worker_threads';

type WorkerModule = Record<string, unknown>;

/** Answer each `{ fn, args }` message with `{ ok, value }` or `{ ok: false, error }`; `{ close }` ends the worker. */
export function serve(mod: WorkerModule, modulePath: string): void {
  parentPort!.on('message', async ({ fn, args, close }: { fn: string; args: unknown[]; close?: boolean }) => {
    if (close) return parentPort!.close();
    try {
      const f = mod[fn];
      if (typeof f !== 'function') throw new Error(`worker module ${modulePath} has no function '${fn}'`);
      const value = await f(...args);
      parentPort!.postMessage({ ok: true, value }, transferablesOf(value));
    } catch (e) {
      const err = e as Error;
      parentPort!.postMessage({ ok: false, error: { message: err.message ?? String(e), stack: err.stack } });
    }
  });
}

/** Typed arrays in the result (top level or one object deep) are moved, not copied. */
function transferablesOf(value: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const visit = (v: unknown) => {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && v.byteLength === v.buffer.byteLength) out.add(v.buffer);
  };
  if (value && typeof value === 'object') {
    visit(value);
    for (const v of Object.values(value)) visit(v);
  }
  return [...out];
}
