/**
 * The stage runner: everything around a stage's computation. It validates pipeline.yaml, reads
 * the upstream manifests, gives the stage a StageContext, writes content-hashed outputs into a
 * staging folder and swaps it into data/<stage> only when the stage finished (so an interrupted run
 * never leaves a complete-looking artifact), then writes the manifest that says why it ran.
 * The caller holds the workspace lock (lock.ts).
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { tableFromBytes, tableToBytes } from './arrow.ts';
import { explainRun, FORCED, stageFingerprint } from './fingerprint.ts';
import { sha256 } from './hash.ts';
import { executionsLog, OUTPUTS_HASH_FILE, MANIFEST_FILE, stageDir, stagingDir, runsDir } from './layout.ts';
import { removeAbandonedStaging } from './lock.ts';
import { checkOutputs, outputsHashOf, readManifest, readStageOutput, requireManifest } from './manifest.ts';
import { loadPipeline, overridesFor } from './pipeline.ts';
import { findTask, planPipeline } from './plan.ts';
import { createProgress } from './progress.ts';
import { openRegistry, type StageRegistry } from './registry.ts';
import type { Failure, OutputRecord, StageContext, StageManifest } from './stage.ts';
import { writeFileAtomic } from './store.ts';

const FAILURES_SHOWN = 5;

/**
 * Run one task of the pipeline (`<stage>` or `<stage>.fold<k>`, see plan.ts); returns its manifest.
 * A task whose fingerprint equals its manifest's and whose outputs are intact is up to date and does
 * not run again (as make and `dvc repro` skip), unless `force`.
 */
export async function runStage(
  root: string,
  taskId: string,
  {
    overrides = {},
    log = (m: string) => console.error(m),
    registry = openRegistry(root),
    force = false,
  }: { overrides?: Record<string, unknown>; log?: (m: string) => void; registry?: StageRegistry; force?: boolean } = {},
): Promise<StageManifest> {
  const started = performance.now();
  const pipeline = await loadPipeline(root, registry, overrides);
  const plan = await planPipeline(root, pipeline, registry);
  const task = findTask(plan, taskId);
  const stage = task.id;
  const def = await registry.load(task.stage);
  for (const dep of task.deps) requireManifest(root, dep, `stage '${stage}'`);
  const fingerprint = await stageFingerprint(root, pipeline, task, registry.entries[task.stage], def);
  const previous = readManifest(root, stage);
  let reasons = explainRun(stage, previous, fingerprint, null);
  // Hashing the old outputs (hundreds of MB for trim) only matters when nothing else explains the run.
  if (previous && reasons[0] === FORCED) reasons = explainRun(stage, previous, fingerprint, await checkOutputs(root, stage));
  const prefix = task.fold && task.fold.count > 1 ? `fold ${task.fold.index}/${task.fold.count} · ` : '';
  const say = (m: string) => log(prefix + m);
  if (previous && reasons[0] === FORCED && !force) {
    say(`${stage}: up to date (nothing changed since it ran ${previous.startedAt}; --force runs it again)`);
    return previous;
  }
  say(`${stage}: running (${reasons.join('; ')})`);

  mkdirSync(stagingDir(root), { recursive: true });
  removeAbandonedStaging(root, stage);
  const staging = join(stagingDir(root), `${stage}-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });

  const outputs: Record<string, OutputRecord> = {};
  const failures: Failure[] = [];
  const upstreamTables = new Map<string, Promise<Table>>();

  /** An upstream task named by its id, or by its stage (this task's fold of it). */
  const requireDep = (name: string): string => {
    const dep = task.deps.includes(name) ? name : task.deps.find((d) => plan.tasks.find((t) => t.id === d)?.stage === name);
    if (!dep) throw new Error(`stage '${stage}' reads '${name}' but pipeline.yaml does not list it in stages.${task.stage}.deps`);
    return dep;
  };
  const upstreamPath = async (name: string, output: string) => readStageOutput(root, requireDep(name), output, `stage '${stage}'`);
  /** The declaration of an output: by its name, or by a name with a `*` standing for any text (one output per fold, say). */
  const declaration = (output: string) =>
    def.outputs[output] ??
    Object.entries(def.outputs).find(
      ([name]) =>
        name.includes('*') &&
        new RegExp(
          `^${name
            .split('*')
            .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        ).test(output),
    )?.[1];
  /** `fileName` gets the content hash, which names unnamed outputs. */
  const record = (output: string, fileName: (hash: string) => string, bytes: Uint8Array, rows?: number): OutputRecord => {
    if (!declaration(output))
      throw new Error(`stage '${stage}' wrote output '${output}', which it does not declare (it declares: ${Object.keys(def.outputs).join(', ')})`);
    if (outputs[output]) throw new Error(`stage '${stage}' wrote output '${output}' twice`);
    const hash = sha256(bytes);
    const file = fileName(hash);
    writeFileAtomic(join(staging, file), bytes);
    return (outputs[output] = { file, sha256: hash, bytes: bytes.byteLength, ...(rows === undefined ? {} : { rows }) });
  };

  const ctx: StageContext<unknown> = {
    stage,
    params: fingerprint.params,
    fold: task.fold,
    folds: task.folds,
    dataset: pipeline.dataset,
    root,
    deps: task.deps,
    upstream: (name) => requireManifest(root, requireDep(name), `stage '${stage}'`),
    readTable(name, output) {
      const key = `${requireDep(name)}/${output}`;
      if (!upstreamTables.has(key))
        upstreamTables.set(
          key,
          upstreamPath(name, output).then(({ bytes }) => tableFromBytes(bytes)),
        );
      return upstreamTables.get(key)!;
    },
    inputPath: async (dep, output) => (await upstreamPath(dep, output)).path,
    async writeTable(output, table) {
      const missing = Object.keys(declaration(output)?.columns ?? {}).filter((c) => !table.schema.fields.some((f) => f.name === c));
      if (missing.length) throw new Error(`stage '${stage}' output '${output}' lacks declared column(s) ${missing.join(', ')}`);
      return record(output, (hash) => `${hash}.arrow`, tableToBytes(table), table.numRows);
    },
    async writeFile(output, bytes, name) {
      return record(output, (hash) => name ?? `${hash}.bin`, bytes);
    },
    fail(item, reason) {
      failures.push({ item, reason });
    },
    log: say,
    progress: (label, total, done = 0) => createProgress(`${prefix}${stage}: ${label}`, total, { initial: done }),
    summary: {},
  };

  try {
    await (task.folds.length ? def.combine!(ctx) : def.run(ctx));
    const tables = Object.values(outputs).filter((o) => o.rows !== undefined);
    if (failures.length && tables.length && tables.every((o) => o.rows === 0))
      throw new Error(`${stage}: all ${failures.length} item(s) failed, e.g. ${failures[0].item}: ${failures[0].reason}`);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }

  if (failures.length) {
    const shown = failures
      .slice(0, FAILURES_SHOWN)
      .map((f) => `${f.item}: ${f.reason}`)
      .join('; ');
    say(`${stage}: warning: excluded ${failures.length} item(s): ${shown}${failures.length > FAILURES_SHOWN ? '; … (all listed in the manifest)' : ''}`);
  }
  const manifest: StageManifest = {
    stage,
    ...fingerprint,
    overrides: overridesFor(pipeline, task.stage),
    outputs,
    outputsHash: outputsHashOf(outputs),
    failures,
    summary: ctx.summary,
    reasons,
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    wallMs: Math.round(performance.now() - started),
  };
  writeFileSync(join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  writeFileSync(join(staging, OUTPUTS_HASH_FILE), manifest.outputsHash + '\n');

  // Swap: the old folder moves aside, the staged one takes its name, the old one goes.
  const target = stageDir(root, stage);
  const retired = `${staging}-retired`;
  if (existsSync(target)) renameSync(target, retired);
  renameSync(staging, target);
  rmSync(retired, { recursive: true, force: true });

  mkdirSync(runsDir(root), { recursive: true });
  appendFileSync(
    executionsLog(root),
    JSON.stringify({ stage, at: new Date().toISOString(), reasons, outputsHash: manifest.outputsHash, wallMs: manifest.wallMs }) + '\n',
  );
  const rows = Object.values(outputs).reduce((n, o) => n + (o.rows ?? 0), 0);
  say(`${stage}: done in ${(manifest.wallMs / 1000).toFixed(1)}s, ${Object.keys(outputs).length} output(s), ${rows} row(s)`);
  return manifest;
}
