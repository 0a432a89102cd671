/** `ser features IN --out OUT.arrow [--raw]`: one clip (any supported audio format) through the pipeline's feature code. */
import { readFileSync } from 'node:fs';
import { loadPipeline, openRegistry, tableToBytes, writeFileAtomic } from '@ser/core';
import { extractFeatures, featureTable, melParams, trimParams, type MelParams, type TrimParams } from '@ser/features';

/** The trim and mel params of pipeline.yaml (with overrides), so one-off features match the stages'. */
export async function featureParams(root: string, overrides: Record<string, unknown> = {}): Promise<{ trim: TrimParams; mel: MelParams }> {
  const { stages } = await loadPipeline(root, openRegistry(root), overrides);
  return { trim: trimParams.parse(stages.trim?.params ?? {}), mel: melParams.parse(stages.mel?.params ?? {}) };
}

export async function writeFeatures(root: string, input: string, out: string, raw: boolean, overrides: Record<string, unknown>) {
  const { trim, mel } = await featureParams(root, overrides);
  const row = await extractFeatures(readFileSync(input), input, trim, mel, raw);
  writeFileAtomic(out, tableToBytes(featureTable(row)));
  console.log(
    `${out}: logmel [${row.shape}] (${row.frames} frames), trim [${row.trimStart}, ${row.trimEnd}) at ${trim.sampleRate} Hz, source ${row.sourceRate} Hz × ${row.sourceChannels} ch`,
  );
}
