/**
 * The stage registry: which module computes each stage. A workspace package lists the stages it
 * provides in its package.json, `"ser": { "stages": { "trim": "./src/trim-stage.ts" } }`; each
 * module exports `stage` (see stage.ts). Adding a stage is a new package (or entry) and a block in
 * pipeline.yaml; nothing in core or the CLI names stages.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundle } from '@ser/build/bundle';
import type { StageDefinition } from './stage.ts';

export interface StageEntry {
  name: string;
  /** The workspace package that provides it. */
  package: string;
  /** Absolute path of the module that exports `stage`. */
  module: string;
}

/** Every stage the workspace packages (`packages/*`) provide, by name. */
export function discoverStages(root: string): Record<string, StageEntry> {
  const entries: Record<string, StageEntry> = {};
  const dir = join(root, 'packages');
  for (const folder of existsSync(dir) ? readdirSync(dir).sort() : []) {
    const file = join(dir, folder, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string; ser?: { stages?: Record<string, string> } };
    for (const [name, module] of Object.entries(pkg.ser?.stages ?? {})) {
      const other = entries[name];
      if (other) throw new Error(`stage '${name}' is provided by both ${other.package} and ${pkg.name} (package.json "ser.stages")`);
      entries[name] = { name, package: pkg.name, module: resolve(dir, folder, module) };
    }
  }
  return entries;
}

/** A stage of whatever params type: the registry holds stages whose params differ (each validated by its own schema). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStageDefinition = StageDefinition<any>;

/** Imports a stage module. The default runs it as a cached esbuild bundle (the CLI has no TypeScript loader). */
export type StageImporter = (entry: StageEntry) => Promise<{ stage: AnyStageDefinition }>;

export const importBundled: StageImporter = async (entry) => {
  const code = `export { stage } from ${JSON.stringify(entry.module)};\n`;
  return import(pathToFileURL(await bundle(`stage-${entry.name}`, code, entry.module)).href);
};

export interface StageRegistry {
  readonly entries: Readonly<Record<string, StageEntry>>;
  /** The definition of a registered stage (imported once). */
  load(name: string): Promise<AnyStageDefinition>;
}

export function openRegistry(root: string, importer: StageImporter = importBundled): StageRegistry {
  const entries = discoverStages(root);
  const loaded = new Map<string, Promise<AnyStageDefinition>>();
  return {
    entries,
    load(name) {
      const entry = entries[name];
      if (!entry) return Promise.reject(new Error(`no package provides stage '${name}' (registered: ${Object.keys(entries).join(', ') || 'none'})`));
      if (!loaded.has(name))
        loaded.set(
          name,
          importer(entry).then(({ stage }) => {
            if (!stage || stage.name !== name)
              throw new Error(`${entry.module} must export \`stage\` named '${name}' (found ${stage ? `'${stage.name}'` : 'none'})`);
            return stage;
          }),
        );
      return loaded.get(name)!;
    },
  };
}
