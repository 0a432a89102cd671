// Worker entry for threads.ts. Plain JS because Node 20 ignores `--import tsx` in a worker's
// execArgv: TypeScript support is registered here, then the worker module is loaded.
import { register } from 'tsx/esm/api';
import { parentPort, workerData } from 'node:worker_threads';

register();
const mod = await import(workerData.moduleUrl);

parentPort.on('message', async ({ fn, args }) => {
  try {
    if (typeof mod[fn] !== 'function') throw new Error(`worker module ${workerData.moduleUrl} has no function '${fn}'`);
    const value = await mod[fn](...args);
    const transfer = value && typeof value === 'object' ? Object.values(value).concat([value]) : [];
    parentPort.postMessage(
      { ok: true, value },
      transfer.filter((v) => ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && v.byteLength === v.buffer.byteLength).map((v) => v.buffer),
    );
  } catch (e) {
    parentPort.postMessage({ ok: false, error: { message: e?.message ?? String(e), stack: e?.stack } });
  }
});
