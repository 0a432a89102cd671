/** `ser eda`: the angry-vs-sad log-Mel figure of the original notebook, from the mel stage's output. */
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { findRoot } from '@ser/core';

export const eda = (cli: Argv) =>
  cli.command(
    'eda',
    "PNG comparing two emotions' log-Mel spectrograms (examples, class means, difference), from the mel stage",
    (y) =>
      y
        .option('out', { type: 'string', default: 'data/eda/angry-vs-sad.png' })
        .option('a', { type: 'string', default: 'angry', describe: 'first class' })
        .option('b', { type: 'string', default: 'sad', describe: 'second class' }),
    async (a) => {
      const { writeEda } = await import('../eda.ts');
      const root = findRoot();
      await writeEda(root, resolve(root, a.out), a.a, a.b);
    },
  );
