/** The one-file command's output (`ser features IN.wav --out OUT.arrow`): one row of features. */
import { buildTable } from '@ser/core';
import type { FeatureRow } from './extract.ts';

/** The one-row Arrow table of `extractFeatures` (columns as the mel stage's, plus trim and source info). */
export function featureTable(row: FeatureRow): ReturnType<typeof buildTable> {
  return buildTable(1, {
    id: [row.id],
    source_rate: Int32Array.of(row.sourceRate),
    source_channels: Int32Array.of(row.sourceChannels),
    trim_start: Int32Array.of(row.trimStart),
    trim_end: Int32Array.of(row.trimEnd),
    frames: Int32Array.of(row.frames),
    logmel: { data: row.logmel, shape: row.shape },
  });
}
