/** Text, CSV and JSON output of the comparison commands. */

export type TableFormat = 'table' | 'csv' | 'json';

/** A cell's kind decides how its value prints: metrics with fixed decimals, dates shortened. */
export type CellKind = 'text' | 'param' | 'metric';

/** Metrics print with 4 decimals, except sample counts (`*.count`). */
export const decimals = (metric: string) => (metric.endsWith('count') ? 0 : 4);

export function display(value: unknown, kind: CellKind, digits = 4): string {
  if (value === undefined || value === null) return '-';
  if (kind === 'metric' && typeof value === 'number') return value.toFixed(digits);
  if (kind === 'text' && typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return value.slice(0, 16).replace('T', ' ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function csvCell(value: unknown): string {
  const s = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function textTable(header: string[], rows: string[][], rightAlign: boolean[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (rightAlign[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const signed = (x: number | null, digits: number) => (x === null ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`);
