/** `ser stage <name>`: run one stage now, outside Nx (what each Nx target runs). */
import type { Argv } from 'yargs';
import { findRoot, overridesFromEnv, withWorkspaceLock } from '@ser/core';
import { overridesOf, setOption, waitOption } from '../options.ts';

export const stage = (cli: Argv) =>
  cli.command(
    'stage <name>',
    'run one stage now, without Nx (what each Nx target runs)',
    (y) => y.positional('name', { type: 'string', demandOption: true }).option('set', setOption).option('wait', waitOption),
    async (a) => {
      const { runStage } = await import('@ser/core/run-stage');
      const root = findRoot();
      const overrides = { ...overridesFromEnv(), ...overridesOf(a.set) };
      await withWorkspaceLock(root, `ser stage ${a.name}`, () => runStage(root, a.name, { overrides }), { wait: a.wait });
    },
  );
