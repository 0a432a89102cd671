import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importRavdess } from '../src/data.ts';

/** A small Zenodo-like tree: Audio_Speech_Actors_01-24/Actor_XX/*.wav plus a stray file. */
function fakeRelease() {
  const dir = mkdtempSync(join(tmpdir(), 'ser-release-'));
  const files: Record<string, string> = {
    'Audio_Speech_Actors_01-24/Actor_01/03-01-01-01-01-01-01.wav': 'one',
    'Audio_Speech_Actors_01-24/Actor_02/03-01-05-02-01-01-02.wav': 'two'.repeat(1000),
    'Audio_Speech_Actors_01-24/readme.txt': 'x',
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { dir, files };
}

const quiet = () => {};

describe('ser data ravdess', () => {
  it('imports Actor_XX/*.wav from a folder, byte for byte', async () => {
    const { dir, files } = fakeRelease();
    const dest = join(dir, 'out');
    expect(await importRavdess(dir, dir, dest, quiet)).toBe(2);
    expect(readdirSync(dest).sort()).toEqual(['Actor_01', 'Actor_02']);
    expect(readFileSync(join(dest, 'Actor_02/03-01-05-02-01-01-02.wav'), 'utf8')).toBe(files['Audio_Speech_Actors_01-24/Actor_02/03-01-05-02-01-01-02.wav']);
  });

  it('imports from a zip (deflated entries, CRC checked)', async () => {
    const { dir, files } = fakeRelease();
    const zip = join(dir, 'release.zip');
    execFileSync('python3', ['-m', 'zipfile', '-c', zip, 'Audio_Speech_Actors_01-24'], { cwd: dir });
    const dest = join(dir, 'from-zip');
    expect(await importRavdess(dir, zip, dest, quiet)).toBe(2);
    expect(readFileSync(join(dest, 'Actor_01/03-01-01-01-01-01-01.wav'), 'utf8')).toBe(files['Audio_Speech_Actors_01-24/Actor_01/03-01-01-01-01-01-01.wav']);
  });

  it('names the problem with a bad source', async () => {
    const { dir } = fakeRelease();
    await expect(importRavdess(dir, join(dir, 'nope.zip'), join(dir, 'o'), quiet)).rejects.toThrow(/nope.zip: no such file or folder/);
    writeFileSync(join(dir, 'fake.zip'), 'not a zip');
    await expect(importRavdess(dir, join(dir, 'fake.zip'), join(dir, 'o'), quiet)).rejects.toThrow(/fake.zip: not a zip archive/);
    const zip = join(dir, 'release.zip');
    execFileSync('python3', ['-m', 'zipfile', '-c', zip, 'Audio_Speech_Actors_01-24'], { cwd: dir });
    const bytes = readFileSync(zip);
    const name = '03-01-05-02-01-01-02.wav';
    bytes[bytes.indexOf(name) + name.length + 2] ^= 0xff; // inside that entry's compressed data (first match: its local header)
    writeFileSync(zip, bytes);
    await expect(importRavdess(dir, zip, join(dir, 'o2'), quiet)).rejects.toThrow(/release.zip: .*(CRC mismatch|invalid|incorrect)/);
  });
});
