/**
 * Finding a stage's computation: the `stages` export of its package's `stages` entry. The caller
 * (the CLI) supplies the imports as a map from package name, so they are static imports that a
 * bundler can follow.
 */
import { stagePackage } from './layout.ts';
import type { StageName } from './params.ts';
import type { StageDefinition } from './stage.ts';

export type StageModules = Record<string, () => Promise<{ stages: StageDefinition[] }>>;

export async function loadStageDefinition(stage: StageName, modules: StageModules): Promise<StageDefinition> {
  const pkg = stagePackage(stage);
  const load = modules[pkg];
  if (!load) throw new Error(`stage '${stage}' is computed by ${pkg}, which is not among the stage modules (${Object.keys(modules).join(', ')})`);
  const def = (await load()).stages.find((s) => s.name === stage);
  if (!def) throw new Error(`${pkg}/stages exports no stage '${stage}'`);
  return def;
}
