/**
 * The layers of the workspace packages, and the check that their imports respect them. Imports run one way:
 *   build           bundler, WAT compiler, code keys: imports no @ser package
 *   core, dsp       the stage contract, runner and store (core may use build); signal primitives (dsp uses none)
 *   stage packages  those whose package.json lists "ser.stages": may use build, core, dsp and one another, without cycles
 *   ui              an application (the web app): may use the layers below; only cli imports it
 *   cli             the command line on top: mounts the applications; no package imports it
 * A package's imports are the module specifiers in its src/ and bin/ files (`import`, `export … from`, dynamic
 * `import('…')`); its declared dependencies are package.json's dependencies, optionalDependencies and
 * peerDependencies. The two must name the same @ser packages. Checked by tools/test/layers.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const SCOPE = '@ser/';

/** Each layer, and the layers its packages may import. */
const MAY_IMPORT = {
  build: [],
  core: ['build'],
  dsp: [],
  stage: ['build', 'core', 'dsp', 'stage'],
  app: ['build', 'core', 'dsp', 'stage'],
  // The command line mounts the apps (`ser ui`) and nothing imports it.
  cli: ['build', 'core', 'dsp', 'stage', 'app'],
} as const satisfies Record<string, readonly string[]>;

type Layer = keyof typeof MAY_IMPORT;

/** Layers by package name; any other package is a stage package if it provides stages. */
const NAMED_LAYERS: Record<string, Layer> = {
  '@ser/build': 'build',
  '@ser/core': 'core',
  '@ser/dsp': 'dsp',
  '@ser/cli': 'cli',
  '@ser/ui': 'app',
};

export interface WorkspaceImport {
  /** Path of the importing file, relative to the workspace root. */
  file: string;
  line: number;
  /** The imported package (`@ser/core` for `@ser/core/pipeline`). */
  package: string;
}

export interface WorkspacePackage {
  name: string;
  /** package.json has "ser.stages". */
  providesStages: boolean;
  /** @ser packages among its declared dependencies. */
  declared: string[];
  /** Its imports of other @ser packages. */
  imports: WorkspaceImport[];
}

const packageOf = (specifier: string) => specifier.split('/').slice(0, 2).join('/');

/** The @ser packages a source text imports, with the line of each import. */
export function scopedImports(text: string): { line: number; package: string }[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.filter((f) => f.fileName.startsWith(SCOPE))
    .map((f) => ({ line: text.slice(0, f.pos).split('\n').length, package: packageOf(f.fileName) }));
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.[cm]?[jt]s$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Every package under packages/: its name, whether it provides stages, its declared @ser dependencies and its @ser imports. */
export function readWorkspace(root: string): WorkspacePackage[] {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir)
    .filter((folder) => existsSync(join(packagesDir, folder, 'package.json')))
    .sort()
    .map((folder) => {
      const dir = join(packagesDir, folder);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const dependencies = { ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.peerDependencies };
      const imports = ['src', 'bin']
        .flatMap((sub) => sourceFiles(join(dir, sub)))
        .flatMap((path) => scopedImports(readFileSync(path, 'utf8')).map((i) => ({ file: relative(root, path), ...i })))
        .filter((i) => i.package !== manifest.name);
      return {
        name: manifest.name,
        providesStages: manifest.ser?.stages !== undefined,
        declared: Object.keys(dependencies)
          .filter((d) => d.startsWith(SCOPE))
          .sort(),
        imports,
      };
    });
}

const layerOf = (pkg: WorkspacePackage): Layer | null => NAMED_LAYERS[pkg.name] ?? (pkg.providesStages ? 'stage' : null);

/** Cycles of a directed graph, each as a path that returns to its first node, found once each. */
function cycles(edges: Map<string, Set<string>>): string[][] {
  const found = new Map<string, string[]>();
  const path: string[] = [];
  const done = new Set<string>();
  const visit = (node: string) => {
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const cycle = path.slice(at);
        const start = cycle.indexOf([...cycle].sort()[0]);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        found.set(rotated.join(' → '), [...rotated, rotated[0]]);
      } else if (!done.has(next)) visit(next);
    }
    path.pop();
    done.add(node);
  };
  for (const node of [...edges.keys()].sort()) if (!done.has(node)) visit(node);
  return [...found.values()];
}

/** What breaks the layering, one line each (none: the workspace is layered). */
export function layerViolations(packages: WorkspacePackage[]): string[] {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const problems: string[] = [];
  const edges = new Map<string, Set<string>>();
  for (const pkg of packages) {
    const layer = layerOf(pkg);
    if (!layer) problems.push(`${pkg.name}: in no layer (name it in tools/layers.ts, or give it "ser.stages")`);
    edges.set(pkg.name, new Set([...pkg.declared, ...pkg.imports.map((i) => i.package)]));
    for (const { file, line, package: imported } of pkg.imports) {
      const target = byName.get(imported);
      const where = `${file}:${line}: ${pkg.name} imports ${imported}`;
      if (!target) problems.push(`${where}, which is not a workspace package`);
      const targetLayer = target && layerOf(target);
      if (layer && targetLayer && !(MAY_IMPORT[layer] as readonly Layer[]).includes(targetLayer)) {
        const allowed = MAY_IMPORT[layer].length ? `only ${MAY_IMPORT[layer].join(', ')}` : 'no @ser package';
        problems.push(`${where} (layer ${targetLayer}), but layer ${layer} may import ${allowed}`);
      }
      if (!pkg.declared.includes(imported)) problems.push(`${where}, which its package.json does not list in dependencies`);
    }
    for (const declared of pkg.declared)
      if (!pkg.imports.some((i) => i.package === declared)) problems.push(`${pkg.name}: package.json lists ${declared}, which its src/ and bin/ never import`);
  }
  for (const cycle of cycles(edges)) problems.push(`cycle: ${cycle.join(' → ')}`);
  return problems;
}
