/**
 * Leak-free splits over source recordings: identical recordings (same sha256) always share a
 * split, and with groupBy 'actor' whole speakers do. Augmented variants follow their source
 * (see join.ts), so nothing derived from a validation/test recording reaches training.
 */
import { rngFor, shuffled } from '@ser/dsp';
import type { SplitParams } from './params.ts';

export const SPLITS = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

export interface SplitRecord {
  id: string;
  label_index: number;
  speaker: string;
  /** 'male', 'female' or '' (unknown): folds balance it. */
  gender?: string;
  sha256: string;
}

export interface SplitResult {
  /** Split of each record, aligned with the input. */
  split: SplitName[];
  /** With groupBy 'actor': the speakers in each split (sorted). */
  actors?: Record<SplitName, string[]>;
}

/**
 * Largest-remainder (Hamilton) apportionment of `total` by `ratios`: each part is the floor or
 * the ceiling of its exact share; leftover units go to the largest remainders (ties: first part).
 */
export function apportion(total: number, ratios: readonly number[]): number[] {
  const sum = ratios.reduce((a, b) => a + b, 0);
  const exact = ratios.map((r) => (sum > 0 ? (total * r) / sum : 0));
  const parts = exact.map(Math.floor);
  const order = exact.map((e, i) => ({ i, rem: e - Math.floor(e) })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let k = 0, left = total - parts.reduce((a, b) => a + b, 0); k < left; k++) parts[order[k].i]++;
  return parts;
}

/**
 * Assign groups (in the given, already shuffled order; larger groups first) to the part whose
 * apportioned target is furthest from filled. With groups of one this meets the targets exactly.
 * `everyPart`: when there are enough groups, first give each part with a nonzero ratio one group
 * (smallest ratio first), so few large groups (speakers) cannot leave a split empty.
 */
function assignGroups(sizes: readonly number[], ratios: readonly number[], everyPart = false): number[] {
  const targets = apportion(
    sizes.reduce((a, b) => a + b, 0),
    ratios,
  );
  const filled = ratios.map(() => 0);
  const out = new Array<number>(sizes.length);
  const parts = ratios.flatMap((r, s) => (r > 0 ? [s] : []));
  if (everyPart && sizes.length >= parts.length)
    parts
      .sort((a, b) => ratios[a] - ratios[b] || a - b)
      .forEach((s, g) => {
        out[g] = s;
        filled[s] += sizes[g];
      });
  const order = sizes
    .map((_, i) => i)
    .filter((g) => out[g] === undefined)
    .sort((a, b) => sizes[b] - sizes[a] || a - b);
  for (const g of order) {
    let best = -1;
    for (let s = 0; s < ratios.length; s++) if (ratios[s] > 0 && (best < 0 || targets[s] - filled[s] > targets[best] - filled[best])) best = s;
    out[g] = best;
    filled[best] += sizes[g];
  }
  return out;
}

/** Connected components of "same sha256" (and "same speaker" when byActor), each sorted, ordered by first id. */
export function groupRecords(records: readonly SplitRecord[], byActor: boolean): number[][] {
  const parent = records.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const firstBy = new Map<string, number>();
  const link = (key: string, i: number) => {
    const j = firstBy.get(key);
    if (j === undefined) firstBy.set(key, i);
    else parent[find(i)] = find(j);
  };
  records.forEach((r, i) => {
    link(`sha:${r.sha256}`, i);
    if (byActor) link(`actor:${r.speaker}`, i);
  });
  const groups = new Map<number, number[]>();
  records.forEach((_, i) => {
    const root = find(i);
    const g = groups.get(root);
    if (g) g.push(i);
    else groups.set(root, [i]);
  });
  const byId = (a: number, b: number) => (records[a].id < records[b].id ? -1 : records[a].id > records[b].id ? 1 : 0);
  return [...groups.values()].map((g) => g.sort(byId)).sort((a, b) => byId(a[0], b[0]));
}

/** An explicit list entry names a speaker by its string or, for numeric ids, by number ("01" == 1). */
export const sameActor = (entry: number | string, speaker: string) =>
  String(entry) === speaker || (speaker.trim() !== '' && !Number.isNaN(Number(speaker)) && Number(entry) === Number(speaker));

/**
 * Seeded split of recordings into train/val/test.
 * - groupBy 'recording': stratified by label; per class the recording counts are the
 *   largest-remainder shares of the ratios (each within one of the exact share).
 * - groupBy 'actor': whole speakers per split; `params.actors` lists are honoured and the remaining
 *   speakers fill the other splits so their recording counts are close to the (renormalised) ratios.
 */
export function stratifiedSplit(records: readonly SplitRecord[], params: SplitParams): SplitResult {
  const ratios = SPLITS.map((s) => params.ratios[s]);
  const split = new Array<SplitName>(records.length);
  const groups = groupRecords(records, params.groupBy === 'actor');
  const place = (group: number[], s: number) => group.forEach((i) => (split[i] = SPLITS[s]));

  if (params.groupBy === 'recording') {
    const byClass = new Map<number, number[][]>();
    for (const g of groups) {
      const label = records[g[0]].label_index;
      byClass.set(label, [...(byClass.get(label) ?? []), g]);
    }
    for (const [label, classGroups] of [...byClass].sort((a, b) => a[0] - b[0])) {
      const order = shuffled(classGroups, rngFor(params.seed, 'split', label));
      assignGroups(
        order.map((g) => g.length),
        ratios,
      ).forEach((s, k) => place(order[k], s));
    }
    return { split };
  }

  // groupBy actor: explicit lists first.
  const fixed = new Map<number[], number>();
  SPLITS.forEach((name, s) => {
    for (const entry of params.actors[name] ?? []) {
      const g = groups.find((g) => g.some((i) => sameActor(entry, records[i].speaker)));
      if (!g) {
        const speakers = [...new Set(records.map((r) => r.speaker))].sort().join(', ');
        throw new Error(`split.actors.${name}: actor ${JSON.stringify(entry)} is not in the dataset (speakers: ${speakers})`);
      }
      const before = fixed.get(g);
      if (before !== undefined && before !== s) throw new Error(`split.actors: actor ${JSON.stringify(entry)} is listed in both ${SPLITS[before]} and ${name}`);
      fixed.set(g, s);
    }
  });
  for (const [g, s] of fixed) place(g, s);
  const open = SPLITS.map((name, s) => (params.actors[name] === undefined ? ratios[s] : 0));
  const rest = shuffled(
    groups.filter((g) => !fixed.has(g)),
    rngFor(params.seed, 'split', 'actors'),
  );
  if (rest.length > 0 && open.every((r) => r === 0)) {
    const left = [...new Set(rest.flatMap((g) => g.map((i) => records[i].speaker)))].sort();
    throw new Error(`split.actors: actors ${left.join(', ')} are in no list and no split is left to take them`);
  }
  assignGroups(
    rest.map((g) => g.length),
    open,
    true,
  ).forEach((s, k) => place(rest[k], s));

  const actors = Object.fromEntries(SPLITS.map((s) => [s, new Set<string>()])) as Record<SplitName, Set<string>>;
  records.forEach((r, i) => actors[split[i]].add(r.speaker));
  return { split, actors: Object.fromEntries(SPLITS.map((s) => [s, [...actors[s]].sort()])) as Record<SplitName, string[]> };
}
