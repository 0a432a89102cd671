/**
 * A stage's cache key beyond its code (which Nx hashes as files): its params with overrides,
 * its upstream outputs, the dataset fingerprint where it reads the dataset, and whether its own
 * outputs are intact. Nx evaluates this as a `runtime` input right before the stage would run.
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { hashJson } from './hash.ts';
import { PIPELINE_FILE, stagePackages } from './layout.ts';
import { checkOutputs, readManifest } from './manifest.ts';
import type { StageName } from './params.ts';
import { loadPipeline, overridesFor } from './pipeline.ts';
import { loadStageDefinition, type StageModules } from './stage-loader.ts';

export async function stageKey(root: string, stage: StageName, modules: StageModules, overrides: Record<string, unknown>): Promise<string> {
  const pipeline = loadPipeline(join(root, PIPELINE_FILE), overrides);
  const decl = pipeline.stages[stage];
  const upstream = Object.fromEntries(decl.deps.map((dep) => [dep, readManifest(root, dep)?.outputsHash ?? 'missing']));
  // Only a stage that reads the dataset is imported: the others' code is heavy and hashed by Nx as files.
  const def = stagePackages[stage].readsDataset ? await loadStageDefinition(stage, modules) : null;
  const dataset = def?.datasetFingerprint ? await def.datasetFingerprint(pipeline.dataset, root) : null;
  // Missing or corrupt outputs must never be a cache hit: a fresh nonce makes the key unique.
  const problem = readManifest(root, stage) ? await checkOutputs(root, stage) : null;
  const health = problem ? `invalid:${randomUUID()}` : 'ok';
  return hashJson({ params: decl.params, overrides: overridesFor(pipeline, stage), deps: decl.deps, upstream, dataset, health });
}
