/** `ser run`: Nx runs the stages (its cache skips the unchanged ones); overrides reach them by env. */
import { spawn } from 'node:child_process';
import type { Argv } from 'yargs';
import { LOCK_OWNER_ENV, NO_WAIT_ENV, OVERRIDES_ENV, findRoot, loadPipeline, openRegistry, runOwner, withWorkspaceLock } from '@ser/core';
import { overridesOf, setOption, waitOption } from '../options.ts';

export async function runPipeline(
  root: string,
  { overrides, target, skipCache, wait }: { overrides: Record<string, unknown>; target: string; skipCache: boolean; wait: boolean },
): Promise<number> {
  // Validate here too, so a bad --set is reported before Nx starts.
  await loadPipeline(root, openRegistry(root), overrides);
  const command = `ser run${Object.entries(overrides).map(([k, v]) => ` --set ${k}=${JSON.stringify(v)}`).join('')}`;
  return withWorkspaceLock(
    root,
    command,
    () => {
      const owner = runOwner();
      const args = ['nx', 'run', `pipeline:${target}`, '--outputStyle=stream', ...(skipCache ? ['--skipNxCache'] : [])];
      const child = spawn('npx', args, {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          [OVERRIDES_ENV]: JSON.stringify(overrides),
          [LOCK_OWNER_ENV]: `${owner.pid}:${owner.started}`,
          [NO_WAIT_ENV]: wait ? '' : '1',
          NX_DAEMON: 'false',
        },
      });
      return new Promise<number>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (code) => resolve(code ?? 1));
      });
    },
    { wait },
  );
}

export const run = (cli: Argv) =>
  cli.command(
    'run',
    'run the pipeline through Nx (only stages whose code, params or inputs changed), then record the run',
    (y) =>
      y
        .option('set', setOption)
        .option('stage', { type: 'string', default: 'all', describe: 'run up to this stage' })
        .option('skip-nx-cache', { type: 'boolean', default: false, describe: 'ignore the Nx cache (rerun every stage)' })
        .option('wait', waitOption),
    async (a) => {
      process.exitCode = await runPipeline(findRoot(), {
        overrides: overridesOf(a.set),
        target: a.stage,
        skipCache: a['skip-nx-cache'],
        wait: a.wait,
      });
    },
  );
