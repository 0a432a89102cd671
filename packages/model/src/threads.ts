/**
 * A fixed set of worker threads running one TypeScript module (its exported functions, called by
 * name with structured-cloneable arguments; each call goes to the next idle thread).
 * Same contract as @ser/core's createPool, whose `--import tsx` worker flag Node 20 ignores
 * (ERR_UNKNOWN_FILE_EXTENSION); this one boots through thread-boot.mjs instead.
 */
import { Worker } from 'node:worker_threads';

export interface Threads {
  readonly size: number;
  call<T>(fn: string, args: unknown[]): Promise<T>;
  close(): Promise<void>;
}

const BOOT = new URL('./thread-boot.mjs', import.meta.url);

export function createThreads(moduleUrl: URL, size: number): Threads {
  const workers = Array.from({ length: size }, () => new Worker(BOOT, { workerData: { moduleUrl: moduleUrl.href } }));
  const idle = [...workers];
  const waiting: Array<(w: Worker) => void> = [];
  const acquire = () => new Promise<Worker>((resolve) => (idle.length ? resolve(idle.pop()!) : waiting.push(resolve)));
  const release = (w: Worker) => (waiting.length ? waiting.shift()!(w) : idle.push(w));

  const run = <T>(w: Worker, fn: string, args: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (msg: { ok: boolean; value?: T; error?: { message: string; stack?: string } }) => {
        w.off('error', onError);
        if (msg.ok) resolve(msg.value as T);
        else reject(Object.assign(new Error(msg.error!.message), { stack: msg.error!.stack }));
      };
      const onError = (e: Error) => {
        w.off('message', onMessage);
        reject(e);
      };
      w.once('message', onMessage);
      w.once('error', onError);
      w.postMessage({ fn, args });
    });

  return {
    size,
    async call<T>(fn: string, args: unknown[]) {
      const w = await acquire();
      try {
        return await run<T>(w, fn, args);
      } finally {
        release(w);
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
