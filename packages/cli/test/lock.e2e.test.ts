/**
 * The workspace lock, end to end on real audio (RAVDESS actor 01, one epoch): two runs started
 * together in one workspace take turns; `--no-wait` fails at once naming the holder; the lock of a
 * killed run is taken over with a warning and its staging folder is cleaned up.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkOutputs } from '@ser/core';
import { copyWorkspace, quickPipeline, restoreActors, type Workspace } from './workspace.ts';

const STAGES = ['ingest', 'trim', 'mel', 'augment', 'split', 'train', 'eval'];
let ws: Workspace;

/** Resolve with the exit code and merged output of a background `ser` process. */
function finished(child: ReturnType<Workspace['serAsync']>): Promise<{ code: number | null; signal: string | null; output: string }> {
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c));
  child.stderr!.on('data', (c: Buffer) => (output += c));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, output })));
}

/** Resolve once the process printed something matching `pattern`. */
const printed = (child: ReturnType<Workspace['serAsync']>, pattern: RegExp) =>
  new Promise<void>((resolve) => {
    let text = '';
    const look = (c: Buffer) => ((text += c), pattern.test(text) && resolve());
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
  });

async function allConsistent() {
  for (const stage of STAGES) expect(await checkOutputs(ws.root, stage), stage).toBeNull();
}

beforeAll(() => {
  const ravdess = restoreActors(['01']);
  ws = copyWorkspace((yaml) => quickPipeline(yaml, ravdess));
}, 300_000);

describe('the workspace lock', () => {
  it('two runs started together: one runs, the other waits naming the holder, then runs; both end consistent', async () => {
    const first = ws.serAsync(['run', '--set', 'augment.seed=1']);
    const firstDone = finished(first);
    await printed(first, /ingest: running/);
    const second = ws.serAsync(['run', '--set', 'augment.seed=2']);
    const [a, b] = await Promise.all([firstDone, finished(second)]);
    expect(a.code, a.output.slice(-3000)).toBe(0);
    expect(b.code, b.output.slice(-3000)).toBe(0);
    expect(b.output).toMatch(
      new RegExp(`waiting: the workspace is locked by pid ${first.pid} \\(ser run --set augment\\.seed=1\\) since \\d{4}-\\d\\d-\\d\\dT`),
    );
    // The second run started after the first had finished: it reran augment and what follows, on complete inputs.
    const executed = ws.executions().map((e) => e.stage);
    expect(executed.slice(0, STAGES.length).sort()).toEqual([...STAGES].sort());
    expect(executed.slice(STAGES.length).sort()).toEqual(['augment', 'eval', 'train']);
    expect(ws.readJson('data/augment/manifest.json').params.seed).toBe(2);
    await allConsistent();
    expect(readdirSync(join(ws.root, 'data/runs')).filter((f) => f.endsWith('.json'))).toHaveLength(2);
    expect(existsSync(join(ws.root, 'data/.lock'))).toBe(false);
  }, 600_000);

  it('--no-wait: a second run exits 1 at once with the lock line', async () => {
    const holder = ws.serAsync(['stage', 'trim', '--set', 'trim.topDb=30']);
    const holderDone = finished(holder);
    await printed(holder, /trim: running/);
    // Paused, the holder cannot finish (and release the lock) before the second run has looked at it.
    holder.kill('SIGSTOP');
    const { code, output } = ws.ser(['run', '--no-wait']);
    holder.kill('SIGCONT');
    expect(code, output.slice(-3000)).toBe(1);
    expect(output).toMatch(new RegExp(`error: the workspace is locked by pid ${holder.pid} \\(ser stage trim\\) since `));
    expect((await holderDone).code).toBe(0);
  }, 300_000);

  it('a lock left by a killed run is taken over with a warning, and its staging folder removed', async () => {
    const victim = ws.serAsync(['stage', 'trim', '--set', 'trim.topDb=35']);
    const victimDone = finished(victim);
    await printed(victim, /trim: .*\d+\/\d+/);
    victim.kill('SIGKILL');
    expect((await victimDone).signal).toBe('SIGKILL');
    expect(JSON.parse(readFileSync(join(ws.root, 'data/.lock'), 'utf8'))).toMatchObject({ pid: victim.pid, state: 'busy' });
    expect(readdirSync(join(ws.root, 'data/.staging'))).toContain(`trim-${victim.pid}`);
    const { code, output } = ws.ser(['run']);
    expect(code, output.slice(-3000)).toBe(0);
    expect(output).toMatch(new RegExp(`warning: took over the workspace lock of pid ${victim.pid} \\(ser stage trim, since [^)]+\\): that process is gone`));
    expect(readdirSync(join(ws.root, 'data/.staging')).filter((f) => f.includes(String(victim.pid)))).toEqual([]);
    await allConsistent();
  }, 300_000);
});
