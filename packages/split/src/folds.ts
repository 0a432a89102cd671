/**
 * Speaker-independent cross-validation folds: every recording of a speaker (and every identical
 * recording, by content hash) belongs to one fold. Fold k tests its own speakers, validates on
 * `valActors` speakers of the other folds and trains on the rest, so within a fold no speaker —
 * hence no recording, and no augmented copy of one — has two roles.
 */
import { rngFor, shuffled } from '@ser/dsp';
import { foldCount, type SplitParams } from './params.ts';
import { SPLITS, groupRecords, sameActor, stratifiedSplit, type SplitName, type SplitRecord } from './split.ts';

export interface Fold {
  /** Role of each record in this fold, aligned with the input records. */
  split: SplitName[];
  /** The speakers in each role (sorted). */
  actors: Record<SplitName, string[]>;
}

/** A speaker group (linked by shared recordings) with its majority gender. */
interface Group {
  members: number[];
  speakers: string[];
  gender: string;
}

function speakerGroups(records: readonly SplitRecord[]): Group[] {
  return groupRecords(records, true).map((members) => {
    const count = new Map<string, number>();
    for (const i of members) count.set(records[i].gender ?? '', (count.get(records[i].gender ?? '') ?? 0) + 1);
    const gender = [...count].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
    return { members, speakers: [...new Set(members.map((i) => records[i].speaker))].sort(), gender };
  });
}

/** Groups by gender (male, female, any other value, unknown last), each list shuffled by `rngFor(seed, ...tag, gender)`. */
function byGender(groups: readonly Group[], seed: number, ...tag: (string | number)[]): Group[][] {
  const rank = (g: string) => (g === 'male' ? 0 : g === 'female' ? 1 : g === '' ? 3 : 2);
  const genders = [...new Set(groups.map((g) => g.gender))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return genders.map((g) =>
    shuffled(
      groups.filter((x) => x.gender === g),
      rngFor(seed, ...tag, g || 'unknown'),
    ),
  );
}

/** The test groups of each fold: explicit lists, one per speaker, or dealt round-robin by gender so folds balance it. */
function testGroups(groups: Group[], params: SplitParams): Group[][] {
  const all = groups.flatMap((g) => g.speakers).sort();
  if (params.protocol === 'loso') {
    const shared = groups.find((g) => g.speakers.length > 1);
    if (shared)
      throw new Error(
        `split.protocol loso: speakers ${shared.speakers.join(' and ')} share a recording (identical content), so no fold can hold one out alone`,
      );
    return groups.map((g) => [g]);
  }
  if (params.foldActors) {
    const foldOf = new Map<Group, number>();
    params.foldActors.forEach((list, k) => {
      for (const entry of list) {
        const g = groups.find((x) => x.speakers.some((s) => sameActor(entry, s)));
        if (!g) throw new Error(`split.foldActors[${k}]: actor ${JSON.stringify(entry)} is not in the dataset (speakers: ${all.join(', ')})`);
        const before = foldOf.get(g);
        if (before !== undefined && before !== k) throw new Error(`split.foldActors: actor ${JSON.stringify(entry)} is in folds ${before + 1} and ${k + 1}`);
        foldOf.set(g, k);
      }
    });
    const missing = groups.filter((g) => !foldOf.has(g)).flatMap((g) => g.speakers);
    if (missing.length) throw new Error(`split.foldActors: actors ${missing.join(', ')} are in no fold`);
    return params.foldActors.map((_, k) => groups.filter((g) => foldOf.get(g) === k));
  }
  if (params.folds > groups.length) throw new Error(`split.folds is ${params.folds}, but the dataset has only ${groups.length} speaker(s) (${all.join(', ')})`);
  const folds: Group[][] = Array.from({ length: params.folds }, () => []);
  byGender(groups, params.seed, 'folds')
    .flat()
    .forEach((g, i) => folds[i % params.folds].push(g));
  return folds;
}

/** `count` validation groups from `candidates`, alternating male and female while both last. */
function validationGroups(candidates: Group[], count: number, params: SplitParams, fold: number): Group[] {
  if (count >= candidates.length)
    throw new Error(
      `split.valActors is ${count}, but fold ${fold + 1} leaves only ${candidates.length} speaker group(s) outside its test set: none would be left to train on`,
    );
  const lists = byGender(candidates, params.seed, 'val', fold);
  const out: Group[] = [];
  for (let round = 0; out.length < count; round++) for (const list of lists) if (round < list.length && out.length < count) out.push(list[round]);
  return out;
}

const sortedActors = (records: readonly SplitRecord[], split: SplitName[]) =>
  Object.fromEntries(SPLITS.map((s) => [s, [...new Set(records.filter((_, i) => split[i] === s).map((r) => r.speaker))].sort()])) as Record<
    SplitName,
    string[]
  >;

/**
 * The folds of `params.protocol` over `records`: one for holdout (see stratifiedSplit), else one per
 * group of test speakers (the first `screenFolds` of them for a screen: the whole partition is made
 * first, so a screen's folds are the full cross-validation's).
 */
export function makeFolds(records: readonly SplitRecord[], params: SplitParams): Fold[] {
  if (params.protocol === 'holdout') {
    const { split } = stratifiedSplit(records, params);
    return [{ split, actors: sortedActors(records, split) }];
  }
  const groups = speakerGroups(records);
  const partition = testGroups(groups, params);
  return partition.slice(0, foldCount(params, partition.length)).map((test, k) => {
    const val = validationGroups(
      groups.filter((g) => !test.includes(g)),
      params.valActors,
      params,
      k,
    );
    const split = new Array<SplitName>(records.length).fill('train');
    for (const g of val) for (const i of g.members) split[i] = 'val';
    for (const g of test) for (const i of g.members) split[i] = 'test';
    return { split, actors: sortedActors(records, split) };
  });
}
