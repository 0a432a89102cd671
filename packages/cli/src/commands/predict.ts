/** `ser predict FILE…`: the emotion of audio files with a recorded run's model. */
import type { Argv } from 'yargs';
import { findRoot } from '@ser/core';
import { backendChoices } from '../options.ts';

export const predict = (cli: Argv) =>
  cli.command(
    'predict <files..>',
    "the emotion of audio files (WAV, FLAC, MP3, OGG Vorbis, Opus; any sample rate or channel count), with a recorded run's model",
    (y) =>
      y
        .positional('files', { type: 'string', array: true, demandOption: true })
        .option('run', { type: 'string', describe: 'run id (or unique prefix); default: the latest' })
        .option('backend', { choices: backendChoices, describe: "default: the run's eval backend" })
        .option('json', { type: 'boolean', default: false }),
    async (a) => {
      const { predict: predictFiles, formatPrediction } = await import('../predict.ts');
      const result = await predictFiles(findRoot(), a.files, { run: a.run, backend: a.backend });
      if (result.models > 1) console.error(`run ${result.runId}: the mean of its ${result.models} fold models' probabilities`);
      if (a.json) console.log(JSON.stringify(result, null, 2));
      else
        for (const p of result.predictions)
          p.error ? console.error(`error: ${p.error}`) : console.log(formatPrediction(p as Parameters<typeof formatPrediction>[0]));
      if (result.predictions.some((p) => p.error)) process.exitCode = 1;
    },
  );
