/**
 * The `trim` stage: ingest's recordings -> decode, resample, trim (worker pool) -> `audio`.
 * Unreadable, malformed and all-silent files are excluded with ctx.fail and listed in the manifest.
 */
import { resolve } from 'node:path';
import { buildTable, defineStage, readStrings, recordingsDir, toRagged, withPool, type StageContext } from '@ser/core';
import type { TrimmedClip } from './extract.ts';
import { FEATURE_WORKER, trimFiles } from './feature-pool.ts';
import { trimParams, type TrimParams } from './params.ts';

async function runTrim(ctx: StageContext<TrimParams>) {
  const { ids, results } = await withPool(FEATURE_WORKER, async (pool) => {
    const recordings = await ctx.readTable('ingest', 'recordings');
    const ids = readStrings(recordings, 'id');
    const progress = ctx.progress('trim', ids.length);
    const paths = readStrings(recordings, 'path').map((p) => resolve(recordingsDir(ctx.dataset, ctx.root), p));
    const results = await trimFiles(pool, paths, ctx.params, () => progress.tick()).finally(() => progress.done());
    return { ids, results };
  });
  const kept: { id: string; clip: TrimmedClip }[] = [];
  let silent = 0;
  results.forEach((r, i) => {
    if (!(r instanceof Error)) return kept.push({ id: ids[i], clip: r });
    if (r.message.includes('all-silent')) silent++;
    ctx.fail(ids[i], r.message);
  });
  const column = (f: (c: TrimmedClip) => number) => Int32Array.from(kept, ({ clip }) => f(clip));
  await ctx.writeTable(
    'audio',
    buildTable(kept.length, {
      id: kept.map((k) => k.id),
      source_rate: column((c) => c.sourceRate),
      source_channels: column((c) => c.sourceChannels),
      trim_start: column((c) => c.trimStart),
      trim_end: column((c) => c.trimEnd),
      audio: toRagged(kept.map((k) => k.clip.audio)),
    }),
  );
  const seconds = kept.map((k) => k.clip.audio.length / ctx.params.sampleRate);
  Object.assign(ctx.summary, {
    clips: kept.length,
    failed: ids.length - kept.length,
    silent,
    trimmedSeconds: {
      mean: seconds.reduce((a, b) => a + b, 0) / Math.max(1, seconds.length),
      min: Math.min(...seconds),
      max: Math.max(...seconds),
    },
  });
}

export const stage = defineStage({
  name: 'trim',
  params: trimParams,
  outputs: {
    audio: {
      description: 'one row per clip that decoded and had sound above the trim floor',
      columns: {
        id: 'utf8: recording id',
        source_rate: 'int32: sample rate of the file',
        source_channels: 'int32: channels of the file',
        trim_start: 'int32: first kept sample, at trim.sampleRate',
        trim_end: 'int32: end of the kept samples (exclusive), at trim.sampleRate',
        audio: 'list<float32>: the trimmed mono signal at trim.sampleRate',
      },
    },
  },
  run: runTrim,
});
