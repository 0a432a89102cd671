/**
 * A small worker-thread pool: CPU-bound stage work (decode, resample, mel, augment) runs on every core.
 * A worker module is any ES module whose exported functions take structured-cloneable arguments;
 * `pool.call('fn', args)` runs `fn(...args)` in the next free worker.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';

export interface WorkerPool {
  readonly size: number;
  call<T>(fn: string, args: unknown[], transfer?: ArrayBuffer[]): Promise<T>;
  close(): Promise<void>;
}

interface Job {
  fn: string;
  args: unknown[];
  transfer: ArrayBuffer[];
}

const ENTRY = new URL('./worker-bootstrap.js', import.meta.url);

function spawn(moduleUrl: string): Worker {
  return new Worker(ENTRY, { workerData: { moduleUrl } });
}

/** Default size: one worker per core (`SER_WORKERS` overrides). */
export function defaultPoolSize(): number {
  const fromEnv = Number(process.env.SER_WORKERS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism();
}

export function createPool(moduleUrl: URL | string, size = defaultPoolSize()): WorkerPool {
  const url = moduleUrl.toString();
  const idle: Worker[] = Array.from({ length: size }, () => spawn(url));
  const all = [...idle];
  const limit = pLimit(size);

  const runOn = (worker: Worker, job: Job) =>
    new Promise<unknown>((resolve, reject) => {
      const onMessage = (msg: { ok: boolean; value?: unknown; error?: { message: string; stack?: string } }) => {
        worker.off('error', onError);
        if (msg.ok) resolve(msg.value);
        else {
          const err = new Error(msg.error!.message);
          err.stack = msg.error!.stack;
          reject(err);
        }
      };
      const onError = (e: Error) => {
        worker.off('message', onMessage);
        reject(Object.assign(e, { workerDied: true }));
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
      worker.postMessage({ fn: job.fn, args: job.args }, job.transfer);
    });

  return {
    size,
    call<T>(fn: string, args: unknown[], transfer: ArrayBuffer[] = []) {
      return limit(async () => {
        let worker = idle.pop()!;
        try {
          return (await runOn(worker, { fn, args, transfer })) as T;
        } catch (e) {
          // An error thrown by the function leaves the worker alive; a crash kills it, so replace it.
          if ((e as { workerDied?: boolean }).workerDied) {
            const i = all.indexOf(worker);
            worker = spawn(url);
            all[i] = worker;
          }
          throw e;
        } finally {
          idle.push(worker);
        }
      });
    },
    async close() {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
