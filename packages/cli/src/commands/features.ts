/** `ser features IN --out OUT.arrow [--raw]`: one clip's log-Mel, exactly as the trim and mel stages compute it. */
import type { Argv } from 'yargs';
import { findRoot } from '@ser/core';
import { overridesOf, setOption } from '../options.ts';

export const features = (cli: Argv) =>
  cli.command(
    'features <input>',
    'log-Mel features of one audio file (WAV, FLAC, MP3, OGG Vorbis, Opus), exactly as the trim and mel stages compute them',
    (y) =>
      y
        .positional('input', { type: 'string', demandOption: true })
        .option('out', { type: 'string', demandOption: true, describe: 'output Arrow file' })
        .option('raw', { type: 'boolean', default: false, describe: 'all frames ([nMels, T]) instead of mel.frames' })
        .option('set', setOption),
    async (a) => {
      const { writeFeatures } = await import('../features.ts');
      await writeFeatures(findRoot(), a.input, a.out, a.raw, overridesOf(a.set));
    },
  );
