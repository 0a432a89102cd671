/** Where things live in a workspace. Stage outputs: data/<stage>/ (the Nx outputs of its target). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { StageName } from './params.ts';

/** Stage → the package that computes it, and whether it reads the raw dataset; shared with the Nx plugin, hence JSON. */
export const stagePackages: Record<StageName, { package: string; readsDataset?: boolean }> = JSON.parse(
  readFileSync(new URL('./stage-packages.json', import.meta.url), 'utf8'),
);

export const PIPELINE_FILE = 'pipeline.yaml';
export const MANIFEST_FILE = 'manifest.json';
/** Holds only the stage's outputsHash: the one file downstream cache keys read (see nx plugin). */
export const OUTPUTS_HASH_FILE = 'outputs.sha256';

export const stageDir = (root: string, stage: StageName) => join(root, 'data', stage);
export const manifestPath = (root: string, stage: StageName) => join(stageDir(root, stage), MANIFEST_FILE);
export const runsDir = (root: string) => join(root, 'data', 'runs');
/** One JSON line per stage execution (not per cache restore): tells a run which stages really ran. */
export const executionsLog = (root: string) => join(runsDir(root), 'executions.jsonl');
export const stagingDir = (root: string) => join(root, 'data', '.staging');

/** The workspace root: the nearest folder above `from` holding pipeline.yaml (SER_ROOT overrides). */
export function findRoot(from = process.cwd()): string {
  if (process.env.SER_ROOT) return resolve(process.env.SER_ROOT);
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, PIPELINE_FILE))) return dir;
    if (dirname(dir) === dir) throw new Error(`no ${PIPELINE_FILE} in ${from} or any folder above it`);
  }
}

/** Workspace package folder of a package name ('@ser/features' → packages/features). */
export const packageDir = (name: string) => join('packages', name.replace(/^@ser\//, ''));

/** The workspace packages a package uses, itself included, transitively (from package.json dependencies). */
export function packageClosure(root: string, name: string, seen = new Set<string>()): string[] {
  if (seen.has(name)) return [...seen];
  seen.add(name);
  const pkg = JSON.parse(readFileSync(join(root, packageDir(name), 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const dep of Object.keys(pkg.dependencies ?? {})) if (dep.startsWith('@ser/')) packageClosure(root, dep, seen);
  return [...seen].sort();
}

export const stagePackage = (stage: StageName): string => stagePackages[stage].package;
