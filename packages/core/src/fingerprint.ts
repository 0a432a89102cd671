/**
 * What a stage's results depend on, computed in one place for both uses: the Nx cache key
 * (`ser key <stage>`, a runtime input of the stage's target) and the manifest's "why it ran"
 * (the difference from the previous manifest's fingerprint), so the two cannot disagree.
 */
import { randomUUID } from 'node:crypto';
import { codeKey } from '@ser/build/code-key';
import { canonicalJson, hashJson } from './hash.ts';
import { checkOutputs, flatten, readManifest } from './manifest.ts';
import type { Pipeline } from './pipeline.ts';
import type { StageTask } from './plan.ts';
import type { StageEntry } from './registry.ts';
import type { StageDefinition, StageFingerprint, StageManifest } from './stage.ts';

/** The reason given when nothing changed (the stage was run by hand). */
export const FORCED = 'forced (nothing changed)';

/** Params, code, packages, inputs and fold of a task as the workspace stands; an upstream that has not run is 'missing'. */
export async function stageFingerprint(
  root: string,
  pipeline: Pipeline,
  task: StageTask,
  entry: StageEntry,
  def: StageDefinition<unknown>,
): Promise<StageFingerprint> {
  const inputs: Record<string, string> = Object.fromEntries(task.deps.map((dep) => [dep, readManifest(root, dep)?.outputsHash ?? 'missing']));
  if (def.datasetFingerprint) inputs.dataset = await def.datasetFingerprint(pipeline.dataset, root);
  const { code, packages } = await codeKey(root, entry.module);
  return { params: pipeline.stages[task.stage].params, codeHash: code, packages, inputs, fold: task.fold };
}

/**
 * The Nx cache key of a stage: its fingerprint, and whether its own outputs are intact — missing or
 * corrupt outputs must never be a cache hit, so they make the key unique.
 */
export async function stageKey(root: string, stage: string, fingerprint: StageFingerprint): Promise<string> {
  const problem = readManifest(root, stage) ? await checkOutputs(root, stage) : null;
  return hashJson({ fingerprint, health: problem ? `invalid:${randomUUID()}` : 'ok' });
}

const show = (v: unknown) => (v === undefined ? '(none)' : canonicalJson(v));

/** Changed entries of two name → value maps, as `name a → b` (added and removed ones too). */
function changes(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => show(before[k]) !== show(after[k]))
    .map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`);
}

/** Why a stage runs now, compared with its previous manifest (DVC's `status`, in words). */
export function explainRun(stage: string, previous: StageManifest | null, next: StageFingerprint, outputProblem: string | null): string[] {
  if (!previous) return ['no previous run'];
  const reasons = changes(flatten(previous.params), flatten(next.params)).map((c) => `param ${stage}.${c}`);
  for (const key of new Set([...Object.keys(previous.inputs), ...Object.keys(next.inputs)]))
    if (previous.inputs[key] !== next.inputs[key]) reasons.push(key === 'dataset' ? 'dataset changed' : `upstream '${key}' output changed`);
  if (previous.codeHash !== next.codeHash) reasons.push('code changed');
  if (canonicalJson(previous.fold ?? null) !== canonicalJson(next.fold)) reasons.push(`fold changed: ${show(previous.fold ?? null)} → ${show(next.fold)}`);
  const packages = changes(previous.packages ?? {}, next.packages);
  if (packages.length) reasons.push(`packages changed (${packages.slice(0, 3).join(', ')}${packages.length > 3 ? `, +${packages.length - 3} more` : ''})`);
  if (outputProblem) reasons.push(`outputs invalid: ${outputProblem}`);
  return reasons.length ? reasons : [FORCED];
}
