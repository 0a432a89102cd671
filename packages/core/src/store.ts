/**
 * Artifact files: written atomically (temp file, then rename) and verified against their content
 * hash on read, so a killed writer or a corrupted file never passes for a complete artifact.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { sha256 } from './hash.ts';

export class CorruptArtifactError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** Write `bytes` to `path` so that readers see either nothing or the whole file. */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    let at = 0;
    while (at < buf.length) at += writeSync(fd, buf, at, buf.length - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Read a file and check it hashes to `expected`; a missing or altered file is a CorruptArtifactError. */
export async function readVerified(path: string, expected: string): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new CorruptArtifactError(path, `missing (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); rerun the stage that writes it`);
  }
  const actual = sha256(bytes);
  if (actual !== expected)
    throw new CorruptArtifactError(
      path,
      `content hash ${actual.slice(0, 12)}… does not match the manifest's ${expected.slice(0, 12)}…; the file is corrupt, rerun the stage that writes it`,
    );
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
