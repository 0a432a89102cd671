/** Finding a stage's computation: the `stages` export of its package's `stages` entry. */
import { stagePackage } from './layout.ts';
import type { StageName } from './params.ts';
import type { StageDefinition } from './stage.ts';

export async function loadStageDefinition(stage: StageName): Promise<StageDefinition> {
  const pkg = stagePackage(stage);
  const mod = (await import(`${pkg}/stages`)) as { stages: StageDefinition[] };
  const def = mod.stages.find((s) => s.name === stage);
  if (!def) throw new Error(`${pkg}/stages exports no stage '${stage}'`);
  return def;
}
