/**
 * A throwaway copy of this workspace for end-to-end tests: its own pipeline.yaml, data/ and Nx
 * cache, the same installed node_modules, and @ser/* linked to the copy's packages so that editing
 * a package in the copy changes the code that runs.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { trainParams } from '@ser/model/params';

export const REPO = resolve(new URL('../../..', import.meta.url).pathname);
const RESTORE = resolve(REPO, '../shared/datasets/ravdess/restore.sh');

/** A maker of temp folders that are removed after the test file (vitest afterAll). */
export function tempDirs(): (prefix: string) => string {
  const made: string[] = [];
  afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return (prefix) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

/** Restore RAVDESS actors (two-digit numbers) into `dest` (default: a fresh temp folder); returns the folder. */
export function restoreActors(actors: string[], dest = mkdtempSync(join(tmpdir(), 'ser-ravdess-'))): string {
  execFileSync('bash', [RESTORE, dest, ...actors], { stdio: 'pipe' });
  return dest;
}

export interface Workspace {
  root: string;
  /** Run the CLI in the copy; never throws, returns the exit code and the merged output. */
  ser(args: string[], env?: Record<string, string>): { code: number; output: string };
  /** Start the CLI in the background (for kill tests). */
  serAsync(args: string[]): ReturnType<typeof spawn>;
  /** Stages executed (not restored from cache) since the given count of log lines. */
  executions(): { stage: string; reasons: string[] }[];
  readJson<T = any>(path: string): T;
}

/** The default preset's learning rate, and twice it: the params-only change e2e tests make (`train.learningRate=${CHANGED_RATE}`). */
export const DEFAULT_RATE = trainParams.parse({}).learningRate;
export const CHANGED_RATE = 2 * DEFAULT_RATE;

/** A number as a regular expression source that matches its printed form literally. */
export function literal(n: number): string {
  return String(n).replace('.', '\\.');
}

/** pipeline.yaml with `lines` (`key: value` each) added to the train stage's params, after its preset line. */
export function withTrainKeys(yaml: string, ...lines: string[]): string {
  return yaml.replace(/^ {6}preset: \S+\n/m, (preset) => preset + lines.map((line) => `      ${line}\n`).join(''));
}

/**
 * pipeline.yaml on `dataset` with `epochs` of training on the recordings only: what an e2e test checks
 * is the pipeline, not the model.
 */
export function quickPipeline(yaml: string, dataset: string, epochs = 1): string {
  const out = withTrainKeys(yaml.replace('path: data/raw/ravdess', `path: ${dataset}`), `epochs: ${epochs}`, 'useAugmented: false');
  if (!out.includes(`path: ${dataset}`) || !out.includes(`epochs: ${epochs}\n`))
    throw new Error('pipeline.yaml no longer has the dataset path or train preset line quickPipeline edits');
  return out;
}

export function copyWorkspace(pipelineYaml: (original: string) => string): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'ser-ws-'));
  for (const item of ['nx.json', 'package.json', 'package-lock.json', 'tsconfig.json', 'tools', 'packages']) {
    cpSync(join(REPO, item), join(root, item), { recursive: true, filter: (src) => !src.includes('node_modules') && !src.includes('/test/') });
  }
  writeFileSync(join(root, 'pipeline.yaml'), pipelineYaml(readFileSync(join(REPO, 'pipeline.yaml'), 'utf8')));
  mkdirSync(join(root, 'node_modules', '@ser'), { recursive: true });
  // Installed packages are shared; the workspace's own (@ser) and its caches (.cache: bundles, code keys) are not.
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (entry !== '@ser' && entry !== '.cache') symlinkSync(join(REPO, 'node_modules', entry), join(root, 'node_modules', entry));
  }
  for (const pkg of readdirSync(join(root, 'packages'))) symlinkSync(join(root, 'packages', pkg), join(root, 'node_modules', '@ser', pkg));
  mkdirSync(join(root, 'data'));
  const cli = join(root, 'packages/cli/bin/ser.js');
  const env = (extra: Record<string, string> = {}) => ({ ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0', ...extra });
  const log = join(root, 'data/runs/executions.jsonl');
  return {
    root,
    ser(args, extra) {
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, env: env(extra), encoding: 'utf8', maxBuffer: 1 << 26 });
      return { code: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
    },
    serAsync: (args) => spawn(process.execPath, [cli, ...args], { cwd: root, env: env(), stdio: ['ignore', 'pipe', 'pipe'] }),
    executions: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [],
    readJson: (path) => JSON.parse(readFileSync(join(root, path), 'utf8')),
  };
}
