/** `ser exp why`: which tasks of a run ran, and why (the reasons recorded by the stage runner). */
import type { RunRecord } from '@ser/core';
import { display } from './format.ts';

/** Which tasks ran in a run and why, in pipeline order. */
export function expWhy(record: RunRecord): string {
  const names = Object.keys(record.stages);
  const width = Math.max(0, ...names.map((s) => s.length));
  const lines = names.map((name) => {
    const s = record.stages[name];
    if (!s.ran) return `  ${name.padEnd(width)}  up to date (outputs ${s.outputsHash.slice(0, 12)})`;
    const why = s.reasons.length ? s.reasons.join('; ') : 'no reason recorded';
    return `  ${name.padEnd(width)}  ran in ${(s.wallMs / 1000).toFixed(1)} s: ${why}`;
  });
  const overrides = Object.entries(record.overrides).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const header = `${record.id} (${display(record.createdAt, 'text')}${record.gitCommit ? `, commit ${record.gitCommit.slice(0, 8)}` : ''})`;
  return [header, ...(overrides.length ? [`  overrides: ${overrides.join(' ')}`] : []), ...lines].join('\n');
}
