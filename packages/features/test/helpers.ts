/** Test helpers: restored RAVDESS folders and the librosa golden files. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SHARED = resolve(import.meta.dirname, '../../../../shared');
export const GOLDEN = join(SHARED, 'golden/ravdess');

/** Restore the listed RAVDESS actors (all when empty) into a fresh temp folder; returns it. */
export function restoreRavdess(actors: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'ser-features-'));
  execFileSync('bash', [join(SHARED, 'datasets/ravdess/restore.sh'), dir, ...actors], { stdio: 'pipe' });
  return dir;
}
