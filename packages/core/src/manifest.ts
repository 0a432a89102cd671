/** Stage manifests: reading them, checking a stage's outputs against them, and saying why a stage runs. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashJson, sha256, sha256File } from './hash.ts';
import { manifestPath, OUTPUTS_HASH_FILE, stageDir } from './layout.ts';
import type { OutputRecord, StageManifest } from './stage.ts';
import { readVerified } from './store.ts';

export function readManifest(root: string, stage: string): StageManifest | null {
  const path = manifestPath(root, stage);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StageManifest;
  } catch (e) {
    throw new Error(`${path}: unreadable manifest (${(e as Error).message}); rerun stage '${stage}'`, { cause: e });
  }
}

/** The manifest of an upstream stage, which must have completed. */
export function requireManifest(root: string, stage: string, wantedBy: string): StageManifest {
  const m = readManifest(root, stage);
  if (!m)
    throw new Error(`'${wantedBy}' needs the outputs of '${stage}', which has not run (no ${manifestPath(root, stage)}); run \`npx nx run pipeline:${stage}\``);
  return m;
}

/** One output of a completed stage, read and verified against its manifest hash. */
export async function readStageOutput(root: string, stage: string, output: string, wantedBy: string): Promise<{ path: string; bytes: Uint8Array }> {
  const m = requireManifest(root, stage, wantedBy);
  const out = m.outputs[output];
  if (!out) throw new Error(`stage '${stage}' has no output '${output}' (it has: ${Object.keys(m.outputs).join(', ')})`);
  const path = join(stageDir(root, stage), out.file);
  return { path, bytes: await readVerified(path, out.sha256) };
}

export const outputsHashOf = (outputs: Record<string, OutputRecord>) => hashJson(Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, o.sha256])));

/**
 * What is wrong with a stage's files, null when all match `m`: every output it lists, and
 * outputs.sha256 (what downstream Nx cache keys read). `hashOf` gives a file's sha256 (by its
 * name in the stage folder), null when the file is missing: the same check for a stage folder on
 * disk and for a cache entry about to be restored (cache-entry.ts).
 */
export async function outputsProblem(m: StageManifest, hashOf: (file: string) => Promise<string | null>): Promise<string | null> {
  for (const [name, out] of Object.entries(m.outputs)) {
    const actual = await hashOf(out.file);
    if (actual === null) return `output '${name}' (${out.file}) is missing`;
    if (actual !== out.sha256) return `output '${name}' (${out.file}) is corrupt`;
  }
  if (outputsHashOf(m.outputs) !== m.outputsHash) return 'manifest outputsHash does not match its outputs';
  const outputsHashFile = await hashOf(OUTPUTS_HASH_FILE);
  if (outputsHashFile === null) return `${OUTPUTS_HASH_FILE} is missing`;
  if (outputsHashFile !== sha256(`${m.outputsHash}\n`)) return `${OUTPUTS_HASH_FILE} does not match the manifest`;
  return null;
}

/** null when every output listed in the manifest exists with its recorded hash; else what is wrong. */
export async function checkOutputs(root: string, stage: string): Promise<string | null> {
  let m: StageManifest | null;
  try {
    m = readManifest(root, stage);
  } catch (e) {
    return (e as Error).message;
  }
  if (!m) return 'no manifest';
  return outputsProblem(m, async (file) => {
    const path = join(stageDir(root, stage), file);
    return existsSync(path) ? sha256File(path) : null;
  });
}

/** Flatten nested params to 'a.b.c' → value, for diffs and tables. */
export function flatten(value: unknown, prefix = ''): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.assign({}, ...Object.entries(value).map(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k)));
  }
  return { [prefix]: value };
}
