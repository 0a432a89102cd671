/** `ser run`: Nx runs the stages (and its cache skips the unchanged ones); overrides reach them by env. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { OVERRIDES_ENV, PIPELINE_FILE, loadPipeline } from '@ser/core';

export async function runPipeline(
  root: string,
  { overrides, target, skipCache }: { overrides: Record<string, unknown>; target: string; skipCache: boolean },
): Promise<number> {
  // Validate here too, so a bad --set is reported before Nx starts.
  loadPipeline(join(root, PIPELINE_FILE), overrides);
  const args = ['nx', 'run', `pipeline:${target}`, '--outputStyle=stream', ...(skipCache ? ['--skipNxCache'] : [])];
  const child = spawn('npx', args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, [OVERRIDES_ENV]: JSON.stringify(overrides), NX_DAEMON: 'false' },
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}
