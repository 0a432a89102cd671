/**
 * Tensors by the role of the recording they were made from: the one rule that keeps evaluation
 * clean. A recording's own log-Mel goes where the split put it; its augmented variants are used in
 * training only, and only when the recording itself is a training recording.
 */
import { readStrings } from '@ser/core';
import type { Table } from 'apache-arrow';
import { SPLITS, type SplitName } from './split.ts';

/** Recording id → role, from a split task's `assignment` (its fold's roles). */
export function roleOf(assignment: Table): Map<string, SplitName> {
  const ids = readStrings(assignment, 'id');
  const roles = readStrings(assignment, 'split') as SplitName[];
  return new Map(ids.map((id, i) => [id, roles[i]] as const));
}

export interface RowsByRole {
  /** Rows of the mel table per role, in table order. */
  mel: Record<SplitName, number[]>;
  /** Rows of the augment table whose source recording is a training recording, in table order. */
  augmentTrain: number[];
  /** Tensors whose recording has no role (it is not in the assignment): ids, for a warning. */
  unassigned: string[];
  /** Recordings with a role but no mel tensor (excluded by an upstream stage), per role. */
  withoutTensor: Record<SplitName, string[]>;
}

/** `melIds`: the mel table's recording ids; `augmentSources`: the augment table's source recording ids. */
export function rowsByRole(roles: ReadonlyMap<string, SplitName>, melIds: readonly string[], augmentSources: readonly string[] = []): RowsByRole {
  const mel = Object.fromEntries(SPLITS.map((s) => [s, [] as number[]])) as Record<SplitName, number[]>;
  const unassigned: string[] = [];
  melIds.forEach((id, row) => {
    const role = roles.get(id);
    if (role) mel[role].push(row);
    else unassigned.push(id);
  });
  const augmentTrain = augmentSources.flatMap((source, row) => (roles.get(source) === 'train' ? [row] : []));
  const withTensor = new Set(melIds);
  const withoutTensor = Object.fromEntries(SPLITS.map((s) => [s, [] as string[]])) as Record<SplitName, string[]>;
  for (const [id, role] of roles) if (!withTensor.has(id)) withoutTensor[role].push(id);
  return { mel, augmentTrain, unassigned, withoutTensor };
}
