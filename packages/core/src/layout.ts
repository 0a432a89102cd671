/** Where things live in a workspace. Stage outputs: data/<stage>/ (the Nx outputs of its target). */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const PIPELINE_FILE = 'pipeline.yaml';
export const MANIFEST_FILE = 'manifest.json';
/** Holds only the stage's outputsHash: the one file downstream cache keys read (see the Nx plugin). */
export const OUTPUTS_HASH_FILE = 'outputs.sha256';

export const dataDir = (root: string) => join(root, 'data');
export const stageDir = (root: string, stage: string) => join(dataDir(root), stage);
export const manifestPath = (root: string, stage: string) => join(stageDir(root, stage), MANIFEST_FILE);
export const runsDir = (root: string) => join(dataDir(root), 'runs');
/** One JSON line per stage execution (not per cache restore): tells a run which stages really ran. */
export const executionsLog = (root: string) => join(runsDir(root), 'executions.jsonl');
export const stagingDir = (root: string) => join(dataDir(root), '.staging');

/** The workspace root: the nearest folder above `from` holding pipeline.yaml (SER_ROOT overrides). */
export function findRoot(from = process.cwd()): string {
  if (process.env.SER_ROOT) return resolve(process.env.SER_ROOT);
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, PIPELINE_FILE))) return dir;
    if (dirname(dir) === dir) throw new Error(`no ${PIPELINE_FILE} in ${from} or any folder above it`);
  }
}
