/**
 * Loading `pipeline.yaml`: parse, apply `--set stage.key=value` overrides, validate against the
 * schema in params.ts. Any error names the key and its line, and nothing runs.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, parse as parseYaml, type Node } from 'yaml';
import { z } from 'zod';
import { STAGE_NAMES, datasetSchema, stageParamSchemas, type DatasetParams, type StageName } from './params.ts';

export interface StageDeclaration {
  deps: StageName[];
  params: Record<string, unknown>;
}

export interface Pipeline {
  dataset: DatasetParams;
  stages: Record<StageName, StageDeclaration>;
  /** Overrides, keyed 'stage.key.sub' (or 'dataset.key'), with parsed values. */
  overrides: Record<string, unknown>;
}

export class PipelineError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const stageDeclarationSchema = z
  .object({ deps: z.array(z.string()).default([]), params: z.record(z.string(), z.unknown()).default({}) })
  .strict();

const fileSchema = z
  .object({
    dataset: z.unknown().optional(),
    stages: z.record(z.string(), z.unknown()),
  })
  .strict();

/** Parse `stage.key.sub=value`; the value is read as YAML (numbers, booleans, lists work). */
export function parseOverride(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`override '${text}' must look like stage.key=value`);
  const key = text.slice(0, eq).trim();
  const [head] = key.split('.');
  if (head !== 'dataset' && !(STAGE_NAMES as readonly string[]).includes(head))
    throw new Error(`override '${text}': '${head}' is not a stage (${STAGE_NAMES.join(', ')}) or 'dataset'`);
  if (!key.includes('.')) throw new Error(`override '${text}' must name a key inside '${head}'`);
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

/** Where in the YAML source a path points: "line N" (or the nearest ancestor's line). */
function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: (string | number)[]): string {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
    if (node && (node as Node).range) {
      return `line ${counter.linePos((node as Node).range![0]).line}`;
    }
  }
  return 'top level';
}

function describe(issue: z.core.$ZodIssue, prefix: (string | number)[]): { path: (string | number)[]; text: string } {
  const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  if (issue.code === 'unrecognized_keys') {
    return { path: [...path, issue.keys[0]], text: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${[...path, k].join('.')}'`).join(', ')}` };
  }
  return { path, text: `'${path.join('.')}': ${issue.message}` };
}

/** ['stages','train','params','learningRate'] → 'train.learningRate', the key `--set` uses. */
function overrideKeyOf(path: (string | number)[]): string {
  return (path[0] === 'stages' ? [path[1], ...path.slice(3)] : path).join('.');
}

/** Validate a parsed pipeline object (`raw`); `doc` and `counter` give line numbers. */
export function validatePipeline(
  raw: unknown,
  file: string,
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
  const data = structuredClone(top.data) as { dataset?: Record<string, unknown>; stages: Record<string, unknown> };

  // Overrides are applied to the raw values so they are validated like the file itself.
  for (const [key, value] of Object.entries(overrides)) {
    const [head, ...rest] = key.split('.');
    if (head === 'dataset') setPath((data.dataset ??= {}) as Record<string, unknown>, rest, value);
    else {
      const decl = (data.stages[head] ??= {}) as Record<string, unknown>;
      setPath((decl.params ??= {}) as Record<string, unknown>, rest, value);
    }
  }

  const dataset = datasetSchema.safeParse(data.dataset ?? {});
  if (!dataset.success) report(dataset.error.issues, ['dataset']);

  const stages = {} as Record<StageName, StageDeclaration>;
  for (const [name, declRaw] of Object.entries(data.stages)) {
    if (!(STAGE_NAMES as readonly string[]).includes(name)) {
      problems.push(`unknown stage 'stages.${name}' (stages are ${STAGE_NAMES.join(', ')})${at(['stages', name])}`);
      continue;
    }
    const decl = stageDeclarationSchema.safeParse(declRaw ?? {});
    if (!decl.success) {
      report(decl.error.issues, ['stages', name]);
      continue;
    }
    for (const [i, dep] of decl.data.deps.entries()) {
      if (!(dep in data.stages)) problems.push(`'stages.${name}.deps': unknown upstream stage '${dep}'${at(['stages', name, 'deps', i])}`);
      else if (STAGE_NAMES.indexOf(dep as StageName) >= STAGE_NAMES.indexOf(name as StageName))
        problems.push(`'stages.${name}.deps': '${dep}' does not run before '${name}'${at(['stages', name, 'deps', i])}`);
    }
    const params = stageParamSchemas[name as StageName].safeParse(decl.data.params);
    if (!params.success) report(params.error.issues, ['stages', name, 'params']);
    stages[name as StageName] = { deps: decl.data.deps as StageName[], params: (params.data ?? {}) as Record<string, unknown> };
  }
  for (const name of STAGE_NAMES) if (!(name in data.stages)) problems.push(`missing stage 'stages.${name}'${at(['stages'])}`);

  if (problems.length) throw new PipelineError(file, problems);
  return { dataset: dataset.data!, stages, overrides };
}

/** Read and validate `pipeline.yaml` (with overrides 'stage.key=value'). */
export function loadPipeline(file: string, overrides: Record<string, unknown> = {}): Pipeline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PipelineError(file, [`cannot read: ${(e as Error).message}`]);
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true });
  if (doc.errors.length) throw new PipelineError(file, doc.errors.map((e) => e.message.split('\n')[0]));
  return validatePipeline(doc.toJS(), file, overrides, doc, counter);
}

/** The overrides that apply to one stage ('train.learningRate' → train). */
export function overridesFor(pipeline: Pipeline, stage: StageName | 'dataset'): Record<string, unknown> {
  return Object.fromEntries(Object.entries(pipeline.overrides).filter(([k]) => k.split('.')[0] === stage));
}

/** Overrides travel from `ser run` to each Nx task in this environment variable (JSON object). */
export const OVERRIDES_ENV = 'SER_OVERRIDES';

export function overridesFromEnv(env = process.env): Record<string, unknown> {
  const text = env[OVERRIDES_ENV];
  if (!text) return {};
  const parsed = JSON.parse(text) as Record<string, unknown>;
  for (const key of Object.keys(parsed)) parseOverride(`${key}=null`); // validates the key's stage
  return parsed;
}
