/**
 * The tasks of a pipeline: each stage once, except that a stage that runs per fold (`perFold`)
 * runs once per cross-validation fold of the split (`<stage>.fold<k>`, depending on the same fold
 * of its per-fold deps), then once more as `<stage>` if it combines its folds. With a single fold
 * (holdout) a per-fold stage is one task named as the stage. Nx gets one target per task.
 */
import type { Pipeline } from './pipeline.ts';
import type { StageRegistry } from './registry.ts';
import type { FoldOf } from './stage.ts';

export interface StageTask {
  /** `<stage>`, or `<stage>.fold<k>`: the Nx target and the folder data/<id>. */
  id: string;
  stage: string;
  /** Upstream task ids. */
  deps: string[];
  fold: FoldOf | null;
  /** For a combining task: its fold tasks; else empty. */
  folds: string[];
}

export interface PipelinePlan {
  /** Cross-validation folds that run (1 for a holdout split, or when no stage defines folds). */
  folds: number;
  /** Folds of the partition they are the first of (more than `folds` in a screen). */
  partition: number;
  /** In run order. */
  tasks: StageTask[];
}

export const foldTaskId = (stage: string, fold: number) => `${stage}.fold${fold}`;

/** Every task of `pipeline`, in run order. */
export async function planPipeline(root: string, pipeline: Pipeline, registry: StageRegistry): Promise<PipelinePlan> {
  const names = Object.keys(pipeline.stages);
  const defs = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await registry.load(n)] as const)));
  const definers = names.filter((n) => defs[n].folds);
  if (definers.length > 1) throw new Error(`stages ${definers.join(' and ')} both define cross-validation folds; a pipeline can have one`);
  const { run: folds, partition } = definers.length
    ? await defs[definers[0]].folds!(pipeline.stages[definers[0]].params, pipeline.dataset, root)
    : { run: 1, partition: 1 };
  if (!Number.isInteger(folds) || folds < 1 || !Number.isInteger(partition) || partition < folds)
    throw new Error(`stage '${definers[0]}' defines ${folds} folds of a partition into ${partition}`);

  const perFold = (n: string) => Boolean(defs[n].perFold);
  const tasks: StageTask[] = [];
  for (const stage of names) {
    const declared = pipeline.stages[stage].deps;
    /** The task of `dep` that a task of `stage` for `fold` (null: not per fold) reads. */
    const depTask = (dep: string, fold: number | null): string => {
      if (!perFold(dep) || folds === 1) return dep;
      if (fold !== null) return foldTaskId(dep, fold);
      if (defs[dep].combine) return dep;
      throw new Error(`stage '${stage}' reads '${dep}', which runs per fold (${folds} folds) without combining them; make '${stage}' run per fold too`);
    };
    if (!perFold(stage) || folds === 1) {
      tasks.push({
        id: stage,
        stage,
        deps: declared.map((d) => depTask(d, perFold(stage) ? 1 : null)),
        fold: perFold(stage) ? { index: 1, count: 1 } : null,
        folds: [],
      });
      continue;
    }
    const foldTasks = Array.from({ length: folds }, (_, k) => foldTaskId(stage, k + 1));
    foldTasks.forEach((id, k) => tasks.push({ id, stage, deps: declared.map((d) => depTask(d, k + 1)), fold: { index: k + 1, count: partition }, folds: [] }));
    // The combining task reads its own folds, and (for provenance) every fold of its per-fold deps.
    const allFolds = (d: string) => (perFold(d) ? Array.from({ length: folds }, (_, k) => foldTaskId(d, k + 1)) : [d]);
    if (defs[stage].combine) tasks.push({ id: stage, stage, deps: [...declared.flatMap(allFolds), ...foldTasks], fold: null, folds: foldTasks });
  }
  return { folds, partition, tasks };
}

/** The task `id` of a plan, or an error listing them (a per-fold stage's name lists its fold tasks). */
export function findTask(plan: PipelinePlan, id: string): StageTask {
  const task = plan.tasks.find((t) => t.id === id);
  if (task) return task;
  const ofStage = plan.tasks.filter((t) => t.stage === id).map((t) => t.id);
  throw new Error(
    ofStage.length
      ? `stage '${id}' runs as ${ofStage.join(', ')}`
      : `'${id}' is not a task of pipeline.yaml (tasks: ${plan.tasks.map((t) => t.id).join(', ')})`,
  );
}
