/**
 * A small worker-thread pool: CPU-bound stage work (decode, resample, mel, augment) runs on every core.
 * A worker module is any ES module whose exported functions take structured-cloneable arguments;
 * `pool.call('fn', args)` runs `fn(...args)` in the next free worker.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { bundledWorker } from './worker-bundle.ts';

export interface WorkerPool {
  readonly size: number;
  call<T>(fn: string, args: unknown[], transfer?: ArrayBuffer[]): Promise<T>;
  /** Let each worker finish and exit by itself; terminate those still running after `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

interface Job {
  fn: string;
  args: unknown[];
  transfer: ArrayBuffer[];
}

const spawn = (script: string) => new Worker(script);

/** Default size: one worker per core (`SER_WORKERS` overrides). */
export function defaultPoolSize(): number {
  const fromEnv = Number(process.env.SER_WORKERS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism();
}

export function createPool(moduleUrl: URL | string, size = defaultPoolSize()): WorkerPool {
  // Workers start once the module's bundle is ready; calls queue until then.
  const script = bundledWorker(moduleUrl);
  const idle: Worker[] = [];
  const all: Worker[] = [];
  const started = script.then((path) => {
    for (let i = 0; i < size; i++) all.push(spawn(path));
    idle.push(...all);
  });
  started.catch(() => {}); // reported by every call and by close()
  const limit = pLimit(size);

  const runOn = (worker: Worker, job: Job) =>
    new Promise<unknown>((resolve, reject) => {
      const settle = (fn: () => void) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        fn();
      };
      const onMessage = (msg: { ok: boolean; value?: unknown; error?: { message: string; stack?: string } }) =>
        settle(() => (msg.ok ? resolve(msg.value) : reject(Object.assign(new Error(msg.error!.message), { stack: msg.error!.stack }))));
      const onError = (e: Error) => settle(() => reject(Object.assign(e, { workerDied: true })));
      const onExit = (code: number) => onError(new Error(`worker for '${job.fn}' exited with code ${code}`));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ fn: job.fn, args: job.args }, job.transfer);
    });

  return {
    size,
    call<T>(fn: string, args: unknown[], transfer: ArrayBuffer[] = []) {
      return limit(async () => {
        await started;
        let worker = idle.pop()!;
        try {
          return (await runOn(worker, { fn, args, transfer })) as T;
        } catch (e) {
          // An error thrown by the function leaves the worker alive; a crash kills it, so replace it.
          if ((e as { workerDied?: boolean }).workerDied) {
            const i = all.indexOf(worker);
            worker = spawn(await script);
            all[i] = worker;
          }
          throw e;
        } finally {
          idle.push(worker);
        }
      });
    },
    async close(graceMs = 5000) {
      await started;
      await Promise.all(all.map((w) => exitGracefully(w, graceMs)));
    },
  };
}

/**
 * Ask the worker to close its port, so its event loop drains (background compile jobs included) and it
 * exits by itself. `terminate()` on a worker whose JIT is still compiling can abort the whole process in
 * Node 20 (nodejs/node#51129 and kin: `NodePlatform::ForIsolate` assertion); it is only the fallback.
 */
function exitGracefully(worker: Worker, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(() => void worker.terminate().then(() => resolve()), graceMs);
    worker.once('exit', () => {
      clearTimeout(fallback);
      resolve();
    });
    worker.postMessage({ close: true });
  });
}

/**
 * Run `f` on a pool of the worker module at `moduleUrl` (`size` workers, default one per core), then
 * close it. Start it before reading inputs: the workers boot meanwhile.
 */
export async function withPool<T>(moduleUrl: URL | string, f: (pool: WorkerPool) => Promise<T>, size?: number): Promise<T> {
  const pool = createPool(moduleUrl, size);
  try {
    return await f(pool);
  } finally {
    await pool.close();
  }
}
