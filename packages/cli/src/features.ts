/** `ser features IN.wav --out OUT.arrow [--raw]`: one clip through the pipeline's feature code. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PIPELINE_FILE, loadPipeline, tableToBytes, writeFileAtomic, type MelParams, type TrimParams } from '@ser/core';
import { extractFeatures, featureTable } from '@ser/features';

/** The trim and mel params of pipeline.yaml (with overrides), so one-off features match the stages'. */
export function featureParams(root: string, overrides: Record<string, unknown> = {}): { trim: TrimParams; mel: MelParams } {
  const { stages } = loadPipeline(join(root, PIPELINE_FILE), overrides);
  return { trim: stages.trim.params as TrimParams, mel: stages.mel.params as MelParams };
}

export function writeFeatures(root: string, input: string, out: string, raw: boolean, overrides: Record<string, unknown>) {
  const { trim, mel } = featureParams(root, overrides);
  const row = extractFeatures(readFileSync(input), input, trim, mel, raw);
  writeFileAtomic(out, tableToBytes(featureTable(row)));
  console.log(`${out}: logmel [${row.shape}] (${row.frames} frames), trim [${row.trimStart}, ${row.trimEnd}) at ${trim.sampleRate} Hz, source ${row.sourceRate} Hz × ${row.sourceChannels} ch`);
}
