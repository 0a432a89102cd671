/**
 * The experiment queue (data/queue.json), as `dvc exp run --queue` keeps one: each entry is a
 * set of overrides, queued → running → done (with its run id) or failed (with its error). Entries
 * run one after another through Nx, so stages they share come from the cache; an interrupted
 * queue resumes at the entry it was running (whose finished stages and training epochs are kept).
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { dataDir, writeFileAtomic } from '@ser/core';

export interface QueueEntry {
  id: string;
  overrides: Record<string, unknown>;
  status: 'queued' | 'running' | 'done' | 'failed';
  queuedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** The process running it (status running). */
  pid?: number;
  /** The recorded run (status done). */
  run?: string;
  /** What went wrong (status failed). */
  error?: string;
}

export const queueFile = (root: string) => join(dataDir(root), 'queue.json');

/** `key=v1,v2` → [key, [v1, v2]]: values are YAML, split at commas outside brackets and quotes. */
export function parseSweep(text: string): [string, unknown[]] {
  const eq = text.indexOf('=');
  if (eq <= 0 || !text.slice(0, eq).includes('.')) throw new Error(`-S '${text}' must look like stage.key=value[,value…]`);
  const values: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (const c of text.slice(eq + 1)) {
    if (quote) quote = c === quote ? null : quote;
    else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      values.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  values.push(current);
  return [text.slice(0, eq).trim(), values.map((v) => parseYaml(v.trim()) as unknown)];
}

/** The grid of every combination of the sweeps' values (the first sweep varies slowest). */
export function expandGrid(sweeps: [string, unknown[]][]): Record<string, unknown>[] {
  return sweeps.reduce<Record<string, unknown>[]>((grid, [key, values]) => grid.flatMap((o) => values.map((v) => ({ ...o, [key]: v }))), [{}]);
}

export function readQueue(root: string): QueueEntry[] {
  const file = queueFile(root);
  if (!existsSync(file)) return [];
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as QueueEntry[];
  } catch (e) {
    throw new Error(`${file}: unreadable queue (${(e as Error).message})`, { cause: e });
  }
}

/** Change the queue as one step: other processes queuing or running entries wait for it (a `mkdir` mutex; a stale one expires). */
export async function updateQueue<T>(root: string, change: (entries: QueueEntry[]) => T): Promise<T> {
  const mutex = `${queueFile(root)}.lock`;
  mkdirSync(dataDir(root), { recursive: true });
  for (;;) {
    try {
      mkdirSync(mutex);
      break;
    } catch {
      try {
        if (Date.now() - statSync(mutex).mtimeMs > 10_000) rmdirSync(mutex);
      } catch {
        // removed meanwhile
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    const entries = readQueue(root);
    const result = change(entries);
    writeFileAtomic(queueFile(root), JSON.stringify(entries, null, 2));
    return result;
  } finally {
    rmdirSync(mutex);
  }
}

/** Add one entry per set of overrides; returns them. */
export function enqueue(root: string, grid: Record<string, unknown>[]): Promise<QueueEntry[]> {
  return updateQueue(root, (entries) => {
    // After the highest id there is: with entries removed from the middle, the count would repeat one.
    const last = Math.max(0, ...entries.map((e) => Number(e.id.slice(1)) || 0));
    const added = grid.map((overrides, k): QueueEntry => ({
      id: `q${String(last + k + 1).padStart(4, '0')}`,
      overrides,
      status: 'queued',
      queuedAt: new Date().toISOString(),
    }));
    entries.push(...added);
    return added;
  });
}

const alive = (pid: number | undefined) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The next entry to run: one left running by a process that is gone (interrupted), else the first queued. Marks it running. */
export function claimNext(root: string): Promise<QueueEntry | null> {
  return updateQueue(root, (entries) => {
    const entry = entries.find((e) => e.status === 'running' && !alive(e.pid)) ?? entries.find((e) => e.status === 'queued');
    if (!entry) return null;
    Object.assign(entry, { status: 'running', startedAt: new Date().toISOString(), pid: process.pid });
    return { ...entry };
  });
}

export function finish(root: string, id: string, outcome: { run: string } | { error: string }): Promise<void> {
  return updateQueue(root, (entries) => {
    const entry = entries.find((e) => e.id === id);
    if (!entry) throw new Error(`queue entry ${id} disappeared from ${queueFile(root)}`);
    Object.assign(entry, 'run' in outcome ? { status: 'done', run: outcome.run } : { status: 'failed', error: outcome.error }, {
      finishedAt: new Date().toISOString(),
      pid: undefined,
    });
  });
}

/**
 * `ser exp queue --remove`: drop entries (queued, interrupted, done or failed; a finished entry's run
 * stays recorded). An entry whose process still runs it is refused; an unknown id is an error naming it.
 */
export function removeFromQueue(root: string, ids: string[]): Promise<QueueEntry[]> {
  return updateQueue(root, (entries) => {
    for (const id of ids) {
      const entry = entries.find((e) => e.id === id);
      if (!entry) throw new Error(`no queue entry ${id} in ${queueFile(root)} (entries: ${entries.map((e) => e.id).join(', ') || 'none'})`);
      if (entry.status === 'running' && alive(entry.pid)) throw new Error(`queue entry ${id} is running (pid ${entry.pid}); stop that process first`);
    }
    const removed = entries.filter((e) => ids.includes(e.id));
    entries.splice(0, entries.length, ...entries.filter((e) => !ids.includes(e.id)));
    return removed;
  });
}

/** `ser exp queue`: one line per entry. */
export function formatQueue(entries: QueueEntry[]): string {
  if (entries.length === 0) return 'the queue is empty (add to it with `ser exp run -S stage.key=a,b --queue`)';
  return entries
    .map((e) => {
      const what =
        Object.entries(e.overrides)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(' ') || '(defaults)';
      const status = e.status === 'running' && !alive(e.pid) ? 'interrupted' : e.status;
      const detail = e.status === 'done' ? `run ${e.run}` : e.status === 'failed' ? e.error : e.status === 'running' ? `pid ${e.pid} since ${e.startedAt}` : '';
      return `${e.id}  ${status.padEnd(11)}  ${what}${detail ? `  — ${detail}` : ''}`;
    })
    .join('\n');
}

/**
 * Run the queue's entries one after another (`ser exp run --run-all`), recording each; a failing
 * entry is marked failed with the last lines it printed, and the queue goes on. Returns how many
 * entries failed.
 */
export async function runQueue(root: string, log = (m: string) => console.error(m)): Promise<number> {
  const { runPipeline } = await import('./run-pipeline.ts');
  const { listRuns } = await import('./runs.ts');
  let failed = 0;
  for (let entry = await claimNext(root); entry; entry = await claimNext(root)) {
    const what = Object.entries(entry.overrides)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ');
    log(`queue: ${entry.id} (${what || 'defaults'})`);
    try {
      const { code, tail } = await runPipeline(root, { overrides: entry.overrides, target: 'all', skipCache: false, wait: true });
      if (code !== 0) throw new Error(`exited with code ${code}: ${tail.slice(-5).join(' | ')}`);
      const run = listRuns(root).at(-1);
      if (!run) throw new Error('the pipeline finished but recorded no run');
      await finish(root, entry.id, { run: run.id });
      log(`queue: ${entry.id} done: run ${run.id}`);
    } catch (e) {
      failed++;
      await finish(root, entry.id, { error: (e as Error).message });
      log(`queue: ${entry.id} failed: ${(e as Error).message}`);
    }
  }
  return failed;
}
