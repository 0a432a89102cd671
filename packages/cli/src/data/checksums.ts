/**
 * Checking an import against the RAVDESS checksum list (@ser/ingest's ravdess/SHA256SUMS-01-24):
 * which entries are RAVDESS speech WAVs, whether their bytes are the published ones, and which
 * actors or files a copy lacks.
 */
import { createHash } from 'node:crypto';
import { parseRavdessName } from '@ser/ingest';

/** `…/Actor_07/03-01-05-02-01-01-07.wav` → `Actor_07/03-01-05-02-01-01-07.wav` (any folder above it). */
const ACTOR_FILE = /(?:^|\/)(Actor_\d{2}\/[^/]+\.wav)$/i;

export type EntryKind =
  /** In the list: verify it, import it. */
  | { kind: 'listed'; path: string }
  /** Named like a RAVDESS speech WAV but not in the list (wrong actor folder, actor 25, …): refused. */
  | { kind: 'unlisted'; path: string }
  /** Anything else (song 03-02-*, video, macOS `._*`, readme, folders): skipped, counted. */
  | { kind: 'other' };

export function classify(name: string, sums: Map<string, string>): EntryKind {
  const m = ACTOR_FILE.exec(name.split('\\').join('/'));
  if (m && sums.has(m[1])) return { kind: 'listed', path: m[1] };
  const base = name.split(/[\\/]/).pop() ?? '';
  if (parseRavdessName(base)) return { kind: 'unlisted', path: m?.[1] ?? name };
  return { kind: 'other' };
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
export const shortHash = (hash: string) => `${hash.slice(0, 12)}…`;

/** ['01','02','03','05','21','22','23','24'] → `01–03, 05, 21–24`. */
export function actorRanges(actors: string[]): string {
  const nums = [...new Set(actors.map(Number))].sort((a, b) => a - b);
  const out: string[] = [];
  const pad = (n: number) => String(n).padStart(2, '0');
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
    out.push(j === i ? pad(nums[i]) : `${pad(nums[i])}–${pad(nums[j])}`);
    i = j + 1;
  }
  return out.join(', ');
}

export interface Coverage {
  /** Actors of the list with no file imported. */
  missing: string[];
  /** Actors with some but not all of their files. */
  incomplete: { actor: string; have: number; of: number }[];
}

/** What of the list `imported` (paths `Actor_XX/<name>.wav`) covers. */
export function coverage(sums: Map<string, string>, imported: Set<string>): Coverage {
  const per = new Map<string, { have: number; of: number }>();
  for (const path of sums.keys()) {
    const actor = path.slice(6, 8);
    const c = per.get(actor) ?? { have: 0, of: 0 };
    c.of++;
    if (imported.has(path)) c.have++;
    per.set(actor, c);
  }
  const actors = [...per.keys()].sort();
  return {
    missing: actors.filter((a) => per.get(a)!.have === 0),
    incomplete: actors.filter((a) => per.get(a)!.have > 0 && per.get(a)!.have < per.get(a)!.of).map((a) => ({ actor: a, ...per.get(a)! })),
  };
}

/** `actors 21–24 missing; Actor_05 has 58 of 60 files` (empty when complete). */
export function formatCoverage({ missing, incomplete }: Coverage): string {
  const parts: string[] = [];
  if (missing.length) parts.push(`${missing.length === 1 ? 'actor' : 'actors'} ${actorRanges(missing)} missing`);
  const shown = incomplete.slice(0, 5).map((c) => `Actor_${c.actor} has ${c.have} of ${c.of} files`);
  if (incomplete.length > 5) shown.push(`${incomplete.length - 5} more actor(s) incomplete`);
  return [...parts, ...shown].join('; ');
}
