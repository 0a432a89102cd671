/** Content hashes: artifacts are named by them, and manifests and cache keys are made of them. */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** JSON with object keys sorted, so equal values always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function hashJson(value: unknown): string {
  return sha256(canonicalJson(value));
}

/** Every regular file below `dir`, sorted, as paths relative to `base`. */
export function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) out.push(relative(base, p));
    }
  };
  walk(dir);
  return out;
}

/** Cheap fingerprint of a folder or file: paths, sizes and modification times (as DVC does before rehashing). */
export function statFingerprint(paths: string[]): string {
  const hash = createHash('sha256');
  for (const p of paths) {
    const s = statSync(p);
    hash.update(`${p}\0${s.size}\0${Math.trunc(s.mtimeMs)}\n`);
  }
  return hash.digest('hex');
}
