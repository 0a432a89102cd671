/**
 * Loading `pipeline.yaml`: parse, apply `--set stage.key=value` overrides, validate the dataset
 * block and each stage's params against the schema its stage package declares (registry.ts), and
 * order the stages by their deps. Any error names the key and its line, and nothing runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, parse as parseYaml, type Node } from 'yaml';
import { z } from 'zod';
import { datasetSchema, type DatasetParams } from './dataset.ts';
import { PIPELINE_FILE } from './layout.ts';
import type { StageRegistry } from './registry.ts';

export interface StageDeclaration {
  deps: string[];
  params: Record<string, unknown>;
}

export interface Pipeline {
  dataset: DatasetParams;
  /** In run order: every stage after the stages it depends on (ties keep the file's order). */
  stages: Record<string, StageDeclaration>;
  /** Overrides, keyed 'stage.key.sub' (or 'dataset.key'), with parsed values. */
  overrides: Record<string, unknown>;
}

/** The params schema of each stage named in the file. */
export type ParamSchemas = Record<string, z.ZodType>;

export class PipelineError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const stageDeclarationSchema = z.object({ deps: z.array(z.string()).default([]), params: z.record(z.string(), z.unknown()).default({}) }).strict();

const fileSchema = z
  .object({
    dataset: z.unknown().optional(),
    stages: z.record(z.string(), z.unknown()),
  })
  .strict();

/** Parse `stage.key.sub=value`; the value is read as YAML (numbers, booleans, lists work). Its stage is checked on load. */
export function parseOverride(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`override '${text}' must look like stage.key=value`);
  const key = text.slice(0, eq).trim();
  if (!key.includes('.')) throw new Error(`override '${text}' must name a key inside '${key}'`);
  return [key, parseYaml(text.slice(eq + 1))];
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown) {
  let node = target;
  for (const part of path.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null || Array.isArray(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/** Where in the YAML source a path points: "line N" of its key (or of the nearest ancestor's). */
function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: (string | number)[]): string {
  for (let n = path.length; n > 0; n--) {
    const parent = doc.getIn(path.slice(0, n - 1), true);
    const last = path[n - 1];
    const node: Node | undefined = isMap(parent)
      ? (parent.items.find((p) => isScalar(p.key) && p.key.value === last)?.key as Node | undefined)
      : isSeq(parent) && typeof last === 'number'
        ? (parent.items[last] as Node | undefined)
        : undefined;
    if (node?.range) return `line ${counter.linePos(node.range[0]).line}`;
  }
  return 'top level';
}

function describe(issue: z.core.$ZodIssue, prefix: (string | number)[]): { path: (string | number)[]; text: string } {
  const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  if (issue.code === 'unrecognized_keys') {
    return {
      path: [...path, issue.keys[0]],
      text: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${[...path, k].join('.')}'`).join(', ')}`,
    };
  }
  return { path, text: `'${path.join('.')}': ${issue.message}` };
}

/** ['stages','train','params','learningRate'] → 'train.learningRate', the key `--set` uses. */
function overrideKeyOf(path: (string | number)[]): string {
  return (path[0] === 'stages' ? [path[1], ...path.slice(3)] : path).join('.');
}

/** Stage names in run order: each after its deps (ties keep `names`' order). `cycle` lists the stages a cycle holds back. */
function runOrder(names: string[], deps: Record<string, string[]>): { order: string[]; cycle: string[] | null } {
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < names.length) {
    const next = names.find((n) => !placed.has(n) && deps[n].every((d) => placed.has(d)));
    if (!next) return { order, cycle: names.filter((n) => !placed.has(n)) };
    order.push(next);
    placed.add(next);
  }
  return { order, cycle: null };
}

/** Validate a parsed pipeline object (`raw`) against the stages' param schemas; `doc` and `counter` give line numbers. */
export function validatePipeline(
  raw: unknown,
  file: string,
  schemas: ParamSchemas,
  overrides: Record<string, unknown> = {},
  doc?: ReturnType<typeof parseDocument>,
  counter?: LineCounter,
): Pipeline {
  const problems: string[] = [];
  const at = (path: (string | number)[]) => (doc && counter ? ` (${lineOf(doc, counter, path)})` : '');
  const report = (issues: z.core.$ZodIssue[], prefix: (string | number)[]) => {
    for (const issue of issues) {
      const { path, text } = describe(issue, prefix);
      problems.push(text + (overrideKeyOf(path) in overrides ? ' (from --set)' : at(path)));
    }
  };

  const top = fileSchema.safeParse(raw);
  if (!top.success) {
    report(top.error.issues, []);
    throw new PipelineError(file, problems);
  }
  const data = structuredClone(top.data) as { dataset?: Record<string, unknown>; stages: Record<string, Record<string, unknown> | null> };

  // Overrides are applied to the raw values so they are validated like the file itself.
  for (const [key, value] of Object.entries(overrides)) {
    const [head, ...rest] = key.split('.');
    if (head === 'dataset') setPath((data.dataset ??= {}), rest, value);
    else if (!(head in data.stages))
      problems.push(`override '${key}': '${head}' is not a stage of ${PIPELINE_FILE} (${Object.keys(data.stages).join(', ')}) or 'dataset'`);
    else setPath(((data.stages[head] ??= {}).params ??= {}) as Record<string, unknown>, rest, value);
  }

  const dataset = datasetSchema.safeParse(data.dataset ?? {});
  if (!dataset.success) report(dataset.error.issues, ['dataset']);

  const declared: Record<string, StageDeclaration> = {};
  for (const [name, declRaw] of Object.entries(data.stages)) {
    const schema = schemas[name];
    if (!schema) {
      problems.push(
        `unknown stage 'stages.${name}'${at(['stages', name])}: no workspace package provides it (registered stages: ${Object.keys(schemas).join(', ')})`,
      );
      continue;
    }
    const decl = stageDeclarationSchema.safeParse(declRaw ?? {});
    if (!decl.success) {
      report(decl.error.issues, ['stages', name]);
      continue;
    }
    for (const [i, dep] of decl.data.deps.entries())
      if (!(dep in data.stages)) problems.push(`'stages.${name}.deps': unknown upstream stage '${dep}'${at(['stages', name, 'deps', i])}`);
    const params = schema.safeParse(decl.data.params);
    if (!params.success) report(params.error.issues, ['stages', name, 'params']);
    declared[name] = { deps: decl.data.deps.filter((d) => d in data.stages), params: (params.data ?? {}) as Record<string, unknown> };
  }
  const names = Object.keys(declared);
  const { order, cycle } = runOrder(names, Object.fromEntries(names.map((n) => [n, declared[n].deps])));
  if (cycle) problems.push(`'stages': the deps of ${cycle.map((n) => `'${n}'`).join(', ')} never let them run (a cycle)${at(['stages', cycle[0], 'deps'])}`);

  if (problems.length) throw new PipelineError(file, problems);
  return { dataset: dataset.data!, stages: Object.fromEntries(order.map((n) => [n, declared[n]])), overrides };
}

/** Parse `pipeline.yaml` (syntax only): the document for line numbers and its plain value. */
function parsePipelineFile(file: string): { doc: ReturnType<typeof parseDocument>; counter: LineCounter; raw: unknown } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PipelineError(file, [`cannot read: ${(e as Error).message}`]);
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true });
  if (doc.errors.length)
    throw new PipelineError(
      file,
      doc.errors.map((e) => e.message.split('\n')[0]),
    );
  return { doc, counter, raw: doc.toJS() };
}

/** Read and validate the workspace's `pipeline.yaml` (with overrides 'stage.key=value') against the registered stages' schemas. */
export async function loadPipeline(root: string, registry: StageRegistry, overrides: Record<string, unknown> = {}): Promise<Pipeline> {
  const file = join(root, PIPELINE_FILE);
  const { doc, counter, raw } = parsePipelineFile(file);
  const schemas = Object.fromEntries(await Promise.all(Object.keys(registry.entries).map(async (n) => [n, (await registry.load(n)).params] as const)));
  return validatePipeline(raw, file, schemas, overrides, doc, counter);
}

/** The dataset block alone, validated: for commands that run no stage (`ser data`, benches). */
export function loadDataset(root: string): DatasetParams {
  const file = join(root, PIPELINE_FILE);
  const dataset = datasetSchema.safeParse((parsePipelineFile(file).raw as { dataset?: unknown } | null)?.dataset ?? {});
  if (!dataset.success)
    throw new PipelineError(
      file,
      dataset.error.issues.map((i) => describe(i, ['dataset']).text),
    );
  return dataset.data;
}

/** The overrides that apply to one stage ('train.learningRate' → train). */
export function overridesFor(pipeline: Pipeline, stage: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(pipeline.overrides).filter(([k]) => k.split('.')[0] === stage));
}

/** Overrides travel from `ser run` to each Nx task in this environment variable (JSON object). */
export const OVERRIDES_ENV = 'SER_OVERRIDES';

export function overridesFromEnv(env = process.env): Record<string, unknown> {
  const text = env[OVERRIDES_ENV];
  if (!text) return {};
  const parsed = JSON.parse(text) as Record<string, unknown>;
  for (const key of Object.keys(parsed)) parseOverride(`${key}=null`); // validates the key's form
  return parsed;
}
