import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../src/hash.ts';
import { CorruptArtifactError, readVerified, writeFileAtomic } from '../src/store.ts';

describe('artifact store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ser-store-'));

  it('writes atomically: no temp file is left and the content is whole', () => {
    const bytes = new Uint8Array(1 << 20).map((_, i) => i % 251);
    writeFileAtomic(join(dir, 'a.bin'), bytes);
    expect(readdirSync(dir)).toEqual(['a.bin']);
    expect(sha256(readFileSync(join(dir, 'a.bin')))).toBe(sha256(bytes));
  });

  it('refuses a corrupt file, naming it', async () => {
    const path = join(dir, 'b.bin');
    writeFileAtomic(path, 'hello');
    await expect(readVerified(path, sha256('hello'))).resolves.toHaveLength(5);
    writeFileSync(path, 'hellO');
    const err = await readVerified(path, sha256('hello')).catch((e) => e);
    expect(err).toBeInstanceOf(CorruptArtifactError);
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/corrupt/);
  });

  it('refuses a missing file, naming it', async () => {
    const path = join(dir, 'missing.bin');
    await expect(readVerified(path, sha256('x'))).rejects.toThrow(new RegExp(`${path}: missing`));
  });
});
