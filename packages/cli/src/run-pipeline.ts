/** Running the pipeline through Nx (its cache skips the unchanged tasks) under the workspace lock; overrides reach the tasks by env. */
import { spawn } from 'node:child_process';
import { LOCK_OWNER_ENV, NO_WAIT_ENV, OVERRIDES_ENV, loadPipeline, openRegistry, runOwner, withWorkspaceLock } from '@ser/core';

/** What `ser run` ended with: Nx's exit code, and the last lines it printed (for a failure's reason). */
export interface PipelineOutcome {
  code: number;
  tail: string[];
}

const TAIL_LINES = 20;

export async function runPipeline(
  root: string,
  { overrides, target, skipCache, wait }: { overrides: Record<string, unknown>; target: string; skipCache: boolean; wait: boolean },
): Promise<PipelineOutcome> {
  // Validate here too, so a bad --set is reported before Nx starts.
  await loadPipeline(root, openRegistry(root), overrides);
  const command = `ser run${Object.entries(overrides)
    .map(([k, v]) => ` --set ${k}=${JSON.stringify(v)}`)
    .join('')}`;
  return withWorkspaceLock(
    root,
    command,
    () => {
      const owner = runOwner();
      const args = ['nx', 'run', `pipeline:${target}`, '--outputStyle=stream', ...(skipCache ? ['--skipNxCache'] : [])];
      const child = spawn('npx', args, {
        cwd: root,
        stdio: ['inherit', 'pipe', 'pipe'],
        env: {
          ...process.env,
          [OVERRIDES_ENV]: JSON.stringify(overrides),
          [LOCK_OWNER_ENV]: `${owner.pid}:${owner.started}`,
          [NO_WAIT_ENV]: wait ? '' : '1',
          NX_DAEMON: 'false',
        },
      });
      // Passed through as it comes; the last lines are kept to say why a run failed.
      const tail: string[] = [];
      const keep = (chunk: Buffer) => {
        tail.push(
          ...chunk
            .toString()
            .split('\n')
            .filter((l) => l.trim()),
        );
        tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
      };
      child.stdout!.on('data', (c: Buffer) => (process.stdout.write(c), keep(c)));
      child.stderr!.on('data', (c: Buffer) => (process.stderr.write(c), keep(c)));
      return new Promise<PipelineOutcome>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? 1, tail }));
      });
    },
    { wait },
  );
}
