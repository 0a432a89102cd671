/**
 * The stage runner: everything around a stage's computation. It validates pipeline.yaml, reads
 * the upstream manifests, gives the stage a StageContext, writes content-hashed outputs into a
 * staging folder and swaps it into data/<stage> only when the stage finished (so an interrupted run
 * never leaves a complete-looking artifact), then writes the manifest that says why it ran.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { tableFromBytes, tableToBytes } from './arrow.ts';
import { sha256 } from './hash.ts';
import { executionsLog, OUTPUTS_HASH_FILE, MANIFEST_FILE, PIPELINE_FILE, stageDir, stagingDir, runsDir } from './layout.ts';
import { loadStageDefinition, type StageModules } from './stage-loader.ts';
import { checkOutputs, codeHash, explainRun, FORCED, outputsHashOf, readManifest, readStageOutput, requireManifest } from './manifest.ts';
import type { StageName } from './params.ts';
import { loadPipeline, overridesFor, type Pipeline } from './pipeline.ts';
import { createProgress } from './progress.ts';
import type { Failure, OutputRecord, StageContext, StageDefinition, StageManifest } from './stage.ts';
import { writeFileAtomic } from './store.ts';

/** Inputs a stage keys on: upstream output hashes, plus the dataset fingerprint for stages that read it. */
export async function stageInputs(root: string, pipeline: Pipeline, stage: StageName, def: StageDefinition): Promise<Record<string, string>> {
  const inputs: Record<string, string> = {};
  for (const dep of pipeline.stages[stage].deps) inputs[dep] = requireManifest(root, dep, `stage '${stage}'`).outputsHash;
  if (def.datasetFingerprint) inputs.dataset = await def.datasetFingerprint(pipeline.dataset, root);
  return inputs;
}

const FAILURES_SHOWN = 5;

export async function runStage(
  root: string,
  stage: StageName,
  modules: StageModules,
  { overrides = {}, log = (m: string) => console.error(m) }: { overrides?: Record<string, unknown>; log?: (m: string) => void } = {},
): Promise<StageManifest> {
  const started = performance.now();
  const pipeline = loadPipeline(join(root, PIPELINE_FILE), overrides);
  const decl = pipeline.stages[stage];
  const def = await loadStageDefinition(stage, modules);
  const inputs = await stageInputs(root, pipeline, stage, def);
  const code = codeHash(root, stage);
  const previous = readManifest(root, stage);
  const current = { params: decl.params, inputs, codeHash: code };
  let reasons = explainRun(stage, previous, current, null);
  // Hashing the old outputs (hundreds of MB for trim) only matters when nothing else explains the run.
  if (previous && reasons[0] === FORCED) reasons = explainRun(stage, previous, current, await checkOutputs(root, stage));
  log(`${stage}: running (${reasons.join('; ')})`);

  // Leftovers of killed runs of this stage are incomplete by construction: drop them.
  mkdirSync(stagingDir(root), { recursive: true });
  for (const name of readdirSync(stagingDir(root))) if (name.startsWith(`${stage}-`)) rmSync(join(stagingDir(root), name), { recursive: true, force: true });
  const staging = join(stagingDir(root), `${stage}-${process.pid}`);
  mkdirSync(staging, { recursive: true });

  const outputs: Record<string, OutputRecord> = {};
  const failures: Failure[] = [];
  const upstreamTables = new Map<string, Promise<Table>>();

  const requireDep = (dep: StageName) => {
    if (!decl.deps.includes(dep)) throw new Error(`stage '${stage}' reads '${dep}' but pipeline.yaml does not list it in stages.${stage}.deps`);
  };
  const upstreamPath = async (dep: StageName, output: string) => {
    requireDep(dep);
    return readStageOutput(root, dep, output, `stage '${stage}'`);
  };
  /** `fileName` gets the content hash, which names unnamed outputs. */
  const record = (output: string, fileName: (hash: string) => string, bytes: Uint8Array, rows?: number): OutputRecord => {
    if (outputs[output]) throw new Error(`stage '${stage}' wrote output '${output}' twice`);
    const hash = sha256(bytes);
    const file = fileName(hash);
    writeFileAtomic(join(staging, file), bytes);
    return (outputs[output] = { file, sha256: hash, bytes: bytes.byteLength, ...(rows === undefined ? {} : { rows }) });
  };

  const ctx: StageContext<any> = {
    stage,
    params: decl.params,
    dataset: pipeline.dataset,
    root,
    upstream: (dep) => {
      requireDep(dep);
      return requireManifest(root, dep, `stage '${stage}'`);
    },
    readTable(dep, output) {
      const key = `${dep}/${output}`;
      if (!upstreamTables.has(key)) upstreamTables.set(key, upstreamPath(dep, output).then(({ bytes }) => tableFromBytes(bytes)));
      return upstreamTables.get(key)!;
    },
    inputPath: async (dep, output) => (await upstreamPath(dep, output)).path,
    async writeTable(output, table) {
      return record(output, (hash) => `${hash}.arrow`, tableToBytes(table), table.numRows);
    },
    async writeFile(output, bytes, name) {
      return record(output, (hash) => name ?? `${hash}.bin`, bytes);
    },
    fail(item, reason) {
      failures.push({ item, reason });
    },
    log,
    progress: (label, total) => createProgress(`${stage}: ${label}`, total),
    summary: {},
  };

  try {
    await def.run(ctx);
    const tables = Object.values(outputs).filter((o) => o.rows !== undefined);
    if (failures.length && tables.length && tables.every((o) => o.rows === 0))
      throw new Error(`${stage}: all ${failures.length} item(s) failed, e.g. ${failures[0].item}: ${failures[0].reason}`);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }

  if (failures.length) {
    const shown = failures.slice(0, FAILURES_SHOWN).map((f) => `${f.item}: ${f.reason}`).join('; ');
    log(`${stage}: warning: excluded ${failures.length} item(s): ${shown}${failures.length > FAILURES_SHOWN ? '; … (all listed in the manifest)' : ''}`);
  }
  const manifest: StageManifest = {
    stage,
    params: decl.params,
    overrides: overridesFor(pipeline, stage),
    codeHash: code,
    inputs,
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
  log(`${stage}: done in ${(manifest.wallMs / 1000).toFixed(1)}s, ${Object.keys(outputs).length} output(s), ${rows} row(s)`);
  return manifest;
}
