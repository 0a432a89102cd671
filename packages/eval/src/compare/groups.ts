/**
 * Runs that differ only in their seeds (`*.seed` params: split, augment, train) are repeats of
 * one configuration; they are shown and compared as one group, MLflow-style: mean ± std over the
 * seeds, with a Student-t interval (n = runs).
 */
import { canonicalJson, flatten, type RunRecord } from '@ser/core';

export const isSeedParam = (key: string) => key.split('.').at(-1) === 'seed';

export interface RunGroup {
  /** In creation order. */
  runs: RunRecord[];
  /** Seed param → its value in each run (same order as runs). */
  seeds: Record<string, unknown[]>;
}

/** What must be equal for two runs to be repeats: params but seeds, the dataset, and the code of every task. */
function configurationOf(record: RunRecord): string {
  const params = Object.fromEntries(Object.entries(flatten(record.params)).filter(([k]) => !isSeedParam(k)));
  const code = Object.fromEntries(Object.entries(record.stages).map(([task, s]) => [task, s.codeHash ?? null]));
  return canonicalJson({ params, dataset: record.dataset.hash, code });
}

/** Runs grouped by configuration (groups in order of their first run); `group: false` makes a group per run. */
export function groupRuns(records: readonly RunRecord[], group = true): RunGroup[] {
  const byKey = new Map<string, RunRecord[]>();
  for (const r of [...records].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const key = group ? configurationOf(r) : r.id;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  return [...byKey.values()].map((runs) => {
    const flat = runs.map((r) => flatten(r.params));
    const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].filter(isSeedParam);
    return { runs, seeds: Object.fromEntries(keys.map((k) => [k, flat.map((f) => f[k])])) };
  });
}
