/** `ser data ravdess`: download (or import) RAVDESS speech, verified, into dataset.path. */
import type { Argv } from 'yargs';
import { findRoot } from '@ser/core';

export const data = (cli: Argv) =>
  cli.command(
    'data ravdess',
    'download RAVDESS speech (Zenodo record 1188976, Audio_Speech_Actors_01-24.zip) or import a copy, verify every WAV, put it into dataset.path',
    (y) =>
      y
        .option('from', { type: 'string', describe: 'import this zip or folder (holding Actor_XX folders) instead of downloading' })
        .option('to', { type: 'string', describe: 'destination (default: dataset.path of pipeline.yaml)' })
        .option('url', {
          type: 'string',
          describe: 'download from here (default: https://zenodo.org/records/1188976/files/Audio_Speech_Actors_01-24.zip?download=1)',
        })
        .option('cache-dir', {
          type: 'string',
          describe: 'keep the download in <dir>/ravdess/ (default: $SER_CACHE_DIR, else $XDG_CACHE_HOME/ser, else ~/.cache/ser)',
        })
        .option('retries', {
          type: 'number',
          default: 4,
          describe: 'retries on network errors and 5xx, with exponential backoff from 1 s ($SER_RETRY_DELAY_MS)',
        }),
    async (a) => {
      const { dataRavdess } = await import('../data.ts');
      await dataRavdess(findRoot(), { from: a.from, to: a.to, url: a.url, cacheDir: a['cache-dir'], retries: a.retries });
    },
  );
