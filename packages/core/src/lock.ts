/**
 * The workspace lock: one pipeline run at a time writes (or reads upstream outputs from) data/.
 * `data/.lock` names its holder — the process that owns the run — with its command and start:
 *   - `ser run` owns its run and hands the ownership to the Nx tasks it starts (SER_LOCK_OWNER);
 *   - under a plain `nx run pipeline:…`, the outermost Nx process owns it: each task (`ser key`,
 *     `ser stage`, `ser record`) takes or re-enters the lock on that process's behalf;
 *   - `ser stage` on its own owns it itself.
 * A second run waits, printing the holder once, or with `--no-wait` fails with that line. A lock
 * whose holder is gone is taken over: with a warning when it was mid-stage (`busy`: the holder was
 * killed), silently when it was between tasks (`idle`: an Nx run that ended, which cannot release it).
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, stagingDir } from './layout.ts';

export interface LockHolder {
  pid: number;
  /** The holder's start time (clock ticks since boot, /proc), so a reused pid is not mistaken for it. */
  started: string;
  command: string;
  since: string;
  state: 'busy' | 'idle';
}

export class WorkspaceLockedError extends Error {
  constructor(readonly holder: LockHolder) {
    super(describeHolder(holder));
  }
}

/** Tasks of a `ser run` find their run's owner here ("pid:started"). */
export const LOCK_OWNER_ENV = 'SER_LOCK_OWNER';
/** Set (to 1) to fail at once instead of waiting, for runs started by Nx directly. */
export const NO_WAIT_ENV = 'SER_NO_WAIT';

export const lockPath = (root: string) => join(dataDir(root), '.lock');

export const describeHolder = (h: LockHolder) => `the workspace is locked by pid ${h.pid} (${h.command}) since ${h.since}`;

/** Start time of a process (field 22 of /proc/<pid>/stat), or null where it is gone (or not Linux). */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(holder: LockHolder): boolean {
  const started = startTime(holder.pid);
  if (started !== null) return started === holder.started;
  try {
    process.kill(holder.pid, 0);
    return !existsSync('/proc/self/stat'); // no /proc: trust the pid alone
  } catch {
    return false;
  }
}

/** A process's parent pid and command line, from /proc. */
function processInfo(pid: number): { ppid: number; argv: string[] } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { ppid, argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean) };
  } catch {
    return null;
  }
}

const isNx = (argv: string[]) => argv.slice(0, 2).some((a) => /(^|\/)nx(\.js)?$/.test(a) || a.endsWith('/nx/bin/nx.js'));

/** Who owns the run this process belongs to: the `ser run` that started it, the outermost Nx process above it, or itself. */
export function runOwner(env = process.env): { pid: number; started: string; command: string } {
  const own = (pid: number, argv: string[]) => ({ pid, started: startTime(pid) ?? '?', command: argv.map((a) => a.split('/').pop()).join(' ') });
  const handed = env[LOCK_OWNER_ENV];
  if (handed) {
    const [pid, started] = handed.split(':');
    return { pid: Number(pid), started, command: 'ser run' };
  }
  let owner = own(process.pid, process.argv);
  for (let pid = process.ppid; pid > 1;) {
    const info = processInfo(pid);
    if (!info) break;
    if (isNx(info.argv)) owner = own(pid, info.argv);
    pid = info.ppid;
  }
  return owner;
}

function readHolder(file: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return null; // absent, or being written (a reader retries)
  }
}

/** Create the lock file only if there is none (O_EXCL). */
function createExclusive(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Replace a stale lock, one taker at a time (a `mkdir` mutex; one left by a killed taker expires). */
function takeOver(file: string, stale: LockHolder, holder: LockHolder): boolean {
  const mutex = `${file}.takeover`;
  try {
    mkdirSync(mutex);
  } catch {
    try {
      if (Date.now() - statSync(mutex).mtimeMs > 10_000) rmdirSync(mutex);
    } catch {
      // another taker removed it
    }
    return false;
  }
  try {
    const current = readHolder(file);
    if (current && (current.pid !== stale.pid || current.started !== stale.started)) return false;
    rmSync(file, { force: true });
    return createExclusive(file, holder);
  } finally {
    rmdirSync(mutex);
  }
}

export interface WorkspaceLock {
  readonly holder: LockHolder;
  /** Mark the run between tasks (`idle`) or mid-stage (`busy`). */
  setState(state: LockHolder['state']): void;
  /** Remove the lock if this process owns it. */
  release(): void;
}

export interface LockOptions {
  /** Wait for a running holder (default) or fail at once with WorkspaceLockedError. */
  wait?: boolean;
  log?: (message: string) => void;
  pollMs?: number;
}

/**
 * Take the workspace lock for this process's run (or re-enter it when the run already holds it).
 * `command` describes the run for whoever waits on it.
 */
export async function acquireWorkspaceLock(
  root: string,
  command: string,
  { wait = process.env[NO_WAIT_ENV] !== '1', log = (m) => console.error(m), pollMs = 500 }: LockOptions = {},
): Promise<WorkspaceLock> {
  const file = lockPath(root);
  mkdirSync(dataDir(root), { recursive: true });
  const owner = runOwner();
  const mine: LockHolder = {
    pid: owner.pid,
    started: owner.started,
    command: owner.pid === process.pid ? command : owner.command,
    since: new Date().toISOString(),
    state: 'idle',
  };
  let told = false;
  for (;;) {
    if (createExclusive(file, mine)) break;
    const current = readHolder(file);
    if (current && current.pid === mine.pid && current.started === mine.started) break; // our run holds it
    if (current && !alive(current)) {
      if (takeOver(file, current, mine)) {
        if (current.state === 'busy') {
          log(`warning: took over the workspace lock of pid ${current.pid} (${current.command}, since ${current.since}): that process is gone`);
          removeAbandonedStaging(root);
        }
        break;
      }
      continue;
    }
    if (current && !wait) throw new WorkspaceLockedError(current);
    if (current && !told) {
      log(`waiting: ${describeHolder(current)}`);
      told = true;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const write = (h: LockHolder) => writeFileSync(file, JSON.stringify(h));
  let holder = readHolder(file) ?? mine;
  return {
    get holder() {
      return holder;
    },
    setState(state) {
      holder = { ...holder, state };
      write(holder);
    },
    release() {
      if (holder.pid === process.pid) rmSync(file, { force: true });
    },
  };
}

/**
 * Run `f` holding the workspace lock, marked busy while it runs (`busy: false` for work that only
 * reads, such as computing a cache key); released after when this process owns the run.
 */
export async function withWorkspaceLock<T>(root: string, command: string, f: () => Promise<T>, options: LockOptions & { busy?: boolean } = {}): Promise<T> {
  const lock = await acquireWorkspaceLock(root, command, options);
  const before = lock.holder.state;
  if (options.busy ?? true) lock.setState('busy');
  try {
    return await f();
  } finally {
    if (lock.holder.state !== before) lock.setState(before);
    lock.release();
  }
}

const processGone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
};

/**
 * Remove the staging folders (`<stage>-<pid>[-retired]`, of `stage` or of every stage) whose
 * process is gone: incomplete by construction. A live run's folder is never touched.
 */
export function removeAbandonedStaging(root: string, stage?: string): void {
  const dir = stagingDir(root);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const m = /^(.+)-(\d+)(-retired)?$/.exec(name);
    if (m && (stage === undefined || m[1] === stage) && processGone(Number(m[2]))) rmSync(join(dir, name), { recursive: true, force: true });
  }
}
