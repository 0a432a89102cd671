/** Worker side of pool.ts: imports the worker module and runs the named export per message. */
import { parentPort, workerData } from 'node:worker_threads';

const mod: Record<string, (...args: unknown[]) => unknown> = await import(workerData.moduleUrl);

parentPort!.on('message', async ({ fn, args }: { fn: string; args: unknown[] }) => {
  try {
    const f = mod[fn];
    if (typeof f !== 'function') throw new Error(`worker module ${workerData.moduleUrl} has no function '${fn}'`);
    const value = await f(...args);
    parentPort!.postMessage({ ok: true, value }, transferablesOf(value));
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ ok: false, error: { message: err.message ?? String(e), stack: err.stack } });
  }
});

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
