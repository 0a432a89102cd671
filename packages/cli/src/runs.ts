/**
 * The run registry: data/runs/<id>.json, one per completed pipeline run — params, overrides,
 * git commit, dataset hash, every stage's output hash and whether it ran (and why), metrics.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expWhy } from '@ser/eval';
import {
  executionsLog,
  type Pipeline,
  type PipelinePlan,
  type StageRegistry,
  hashJson,
  requireManifest,
  runsDir,
  stageDir,
  writeFileAtomic,
  type RunRecord,
  type StageManifest,
} from '@ser/core';

interface Execution {
  stage: string;
  at: string;
  reasons: string[];
  outputsHash: string;
  wallMs: number;
}

/** Where a run's kept outputs are (one folder per task of a `keepWithRun` stage: models, reports). */
export const runDir = (root: string, id: string) => join(runsDir(root), id);

/** A run record's file name: `<yyyymmdd>-<hhmmss>-<6 hex of its content>.json`. */
const RUN_FILE = /^\d{8}-\d{6}-[0-9a-f]{6}\.json$/;

export function listRuns(root: string): RunRecord[] {
  const dir = runsDir(root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => RUN_FILE.test(f))
    .map((f) => {
      try {
        return JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunRecord;
      } catch (e) {
        throw new Error(`${join(dir, f)}: unreadable run record (${(e as Error).message})`, { cause: e });
      }
    })
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export function findRun(root: string, id: string): RunRecord {
  const runs = listRuns(root);
  const matches = runs.filter((r) => r.id === id || r.id.startsWith(id));
  if (matches.length === 1) return matches[0];
  throw new Error(
    matches.length ? `run '${id}' is ambiguous: ${matches.map((r) => r.id).join(', ')}` : `no run '${id}' in ${runsDir(root)} (see \`ser exp show\`)`,
  );
}

function gitCommit(root: string): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return null;
  }
}

function executionsSince(root: string, since: string | null): Execution[] {
  const file = executionsLog(root);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Execution)
    .filter((e) => !since || e.at > since);
}

/**
 * Record the current outputs of the plan's tasks as a run; an unchanged pipeline does not make a
 * second identical record. The outputs of stages that ask for it (`keepWithRun`: models, reports)
 * are copied beside the record.
 */
export async function recordRun(
  root: string,
  pipeline: Pipeline,
  plan: PipelinePlan,
  registry: StageRegistry,
  overrides: Record<string, unknown>,
  log = (m: string) => console.log(m),
): Promise<RunRecord> {
  const stages = plan.tasks.map((t) => t.id);
  const manifests: Record<string, StageManifest> = Object.fromEntries(stages.map((s) => [s, requireManifest(root, s, 'ser record')]));
  const previous = listRuns(root).at(-1) ?? null;
  const executed = executionsSince(root, previous?.createdAt ?? null);
  const ran = Object.fromEntries(
    stages.map((s) => {
      const exec = executed.filter((e) => e.stage === s && e.outputsHash === manifests[s].outputsHash).at(-1);
      return [
        s,
        { outputsHash: manifests[s].outputsHash, codeHash: manifests[s].codeHash, ran: Boolean(exec), reasons: exec?.reasons ?? [], wallMs: exec?.wallMs ?? 0 },
      ];
    }),
  );
  // The run's metrics: those of the last task that writes a `metrics` output (eval, or its combination of folds).
  const metricsTask = [...stages].reverse().find((s) => manifests[s].outputs.metrics);
  const kept = (await Promise.all(plan.tasks.map(async (t) => ((await registry.load(t.stage)).keepWithRun ? [t.id] : [])))).flat();
  const metricsFile = metricsTask ? join(stageDir(root, metricsTask), manifests[metricsTask].outputs.metrics.file) : null;
  const content = {
    params: Object.fromEntries(Object.entries(pipeline.stages).map(([s, decl]) => [s, decl.params])),
    overrides,
    outputs: Object.fromEntries(stages.map((s) => [s, manifests[s].outputsHash])),
  };
  const createdAt = new Date().toISOString();
  const record: RunRecord = {
    id: `${createdAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${hashJson(content).slice(0, 6)}`,
    createdAt,
    gitCommit: gitCommit(root),
    backend: (Object.values(manifests).find((m) => typeof m.summary.backend === 'string')?.summary.backend as string | undefined) ?? null,
    params: content.params,
    overrides,
    dataset: { path: String(manifests.ingest?.summary.datasetPath), hash: stages.map((s) => manifests[s].inputs.dataset).find(Boolean) ?? null },
    stages: ran,
    metrics: metricsFile && existsSync(metricsFile) ? (JSON.parse(readFileSync(metricsFile, 'utf8')) as Record<string, unknown>) : null,
    kept: Object.fromEntries(kept.map((t) => [t, Object.fromEntries(Object.entries(manifests[t].outputs).map(([name, o]) => [name, o.file]))])),
  };
  log(expWhy(record));
  const previousContent = previous && {
    params: previous.params,
    overrides: previous.overrides,
    outputs: Object.fromEntries(Object.entries(previous.stages).map(([s, r]) => [s, r.outputsHash])),
  };
  if (previous && hashJson(previousContent) === hashJson(content)) {
    log(`nothing changed since run ${previous.id}; no new record`);
    return previous;
  }
  // The run's model and report are kept beside its record (small), so `ser predict --run` and
  // old reports work after later runs replaced data/train and data/eval. The record is written last.
  const dir = runDir(root, record.id);
  for (const stage of kept) {
    mkdirSync(join(dir, stage), { recursive: true });
    for (const out of Object.values(manifests[stage].outputs)) copyFileSync(join(stageDir(root, stage), out.file), join(dir, stage, out.file));
  }
  writeFileAtomic(join(runsDir(root), `${record.id}.json`), JSON.stringify(record, null, 2));
  log(`recorded run ${record.id}`);
  return record;
}
