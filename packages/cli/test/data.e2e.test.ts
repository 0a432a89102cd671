/**
 * `ser data ravdess --from <zip|folder>`: the verified import, on real RAVDESS WAVs restored from
 * ../shared (actors 01 and 02).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importRavdess } from '../src/data.ts';
import { actorRanges } from '../src/data/checksums.ts';
import { actorEntries, writeZip, type ZipInput } from './ravdess-fixtures.ts';
import { restoreActors, tempDirs } from './workspace.ts';

let restored: string;
const temp = tempDirs();
let entries: ZipInput[];
beforeAll(() => {
  restored = restoreActors(['01', '02'], temp('ser-ravdess-'));
  entries = actorEntries(restored, ['01', '02']);
});

/** A Zenodo-like tree: Audio_Speech_Actors_01-24/Actor_XX/*.wav of the given actors, plus a stray file. */
function release(actors: string[]) {
  const dir = temp('ser-release-');
  for (const a of actors) cpSync(join(restored, `Actor_${a}`), join(dir, 'Audio_Speech_Actors_01-24', `Actor_${a}`), { recursive: true });
  writeFileSync(join(dir, 'Audio_Speech_Actors_01-24/readme.txt'), 'x');
  return dir;
}

const sink = { write: () => true };
function logger() {
  const lines: string[] = [];
  return { lines, log: (m: string) => lines.push(m) };
}
const same = (a: string, b: string) => readFileSync(a).equals(readFileSync(b));

describe('ser data ravdess --from', () => {
  it('imports Actor_XX/*.wav from a folder, byte for byte; says which actors are missing; counts the stray file', () => {
    const dir = release(['01']);
    const dest = join(dir, 'out');
    const { lines, log } = logger();
    expect(importRavdess(dir, dir, dest, log, sink)).toBe(60);
    expect(readdirSync(dest)).toEqual(['Actor_01']);
    for (const f of readdirSync(join(restored, 'Actor_01'))) expect(same(join(dest, 'Actor_01', f), join(restored, 'Actor_01', f))).toBe(true);
    expect(lines[0]).toMatch(/^imported 60 of 1,440 RAVDESS speech files into .*out \(sha256 of each verified\); actors 02–24 missing in /);
    expect(lines[1]).toBe('warning: skipped 1 file(s) that are not RAVDESS speech WAVs (e.g. Audio_Speech_Actors_01-24/readme.txt)');
  });

  it('imports from a zip made by another tool (deflated entries, CRC checked)', () => {
    const dir = release(['01', '02']);
    const zip = join(dir, 'release.zip');
    execFileSync('python3', ['-m', 'zipfile', '-c', zip, 'Audio_Speech_Actors_01-24'], { cwd: dir });
    const dest = join(dir, 'from-zip');
    expect(importRavdess(dir, zip, dest, () => {}, sink)).toBe(120);
    expect(readdirSync(join(dest, 'Actor_02'))).toHaveLength(60);
    expect(same(join(dest, 'Actor_02/03-01-05-02-01-01-02.wav'), join(restored, 'Actor_02/03-01-05-02-01-01-02.wav'))).toBe(true);
  });

  it('a zip missing some actors and some files: imports what it has, and the message names the missing actors and the incomplete one', () => {
    const dir = temp('ser-partial-');
    const dropped = entries
      .filter((e) => e.name.startsWith('Actor_02/'))
      .slice(0, 5)
      .map((e) => e.name);
    writeFileSync(
      join(dir, 'partial.zip'),
      writeZip(
        entries.filter((e) => !dropped.includes(e.name)),
        { deflate: true },
      ),
    );
    const { lines, log } = logger();
    expect(importRavdess(dir, join(dir, 'partial.zip'), join(dir, 'out'), log, sink)).toBe(115);
    expect(lines[0]).toMatch(/imported 115 of 1,440 .*; actors 03–24 missing; Actor_02 has 55 of 60 files in .*partial\.zip$/);
    expect(readdirSync(join(dir, 'out/Actor_02'))).toHaveLength(55);
    for (const name of dropped) expect(existsSync(join(dir, 'out', name))).toBe(false);
  });

  it('refuses files named like RAVDESS speech WAVs that the checksum list lacks, by name; skips song and stray files with a count', () => {
    const dir = temp('ser-unlisted-');
    const wav = entries[0].data;
    const song = { name: 'Actor_01/03-02-01-01-01-01-01.wav', data: wav }; // RAVDESS song: not speech
    const mac = { name: '__MACOSX/Actor_01/._03-01-01-01-01-01-01.wav', data: new Uint8Array(10) };
    writeFileSync(join(dir, 'ok.zip'), writeZip([...entries.slice(0, 60), song, mac]));
    const { lines, log } = logger();
    expect(importRavdess(dir, join(dir, 'ok.zip'), join(dir, 'out'), log, sink)).toBe(60);
    expect(lines[1]).toBe(
      'warning: skipped 2 file(s) that are not RAVDESS speech WAVs (e.g. Actor_01/03-02-01-01-01-01-01.wav, __MACOSX/Actor_01/._03-01-01-01-01-01-01.wav)',
    );
    const foreign = { name: 'Actor_25/03-01-01-01-01-01-25.wav', data: wav }; // there is no actor 25
    const moved = { name: 'Actor_02/03-01-01-01-01-01-01.wav', data: wav }; // actor 01's file in actor 02's folder
    writeFileSync(join(dir, 'bad.zip'), writeZip([...entries.slice(0, 60), foreign, moved]));
    expect(() => importRavdess(dir, join(dir, 'bad.zip'), join(dir, 'out2'), log, sink)).toThrow(
      /2 file\(s\) named like RAVDESS speech recordings are not in its checksum list .*nothing was imported .*: Actor_25\/03-01-01-01-01-01-25\.wav, Actor_02\/03-01-01-01-01-01-01\.wav/,
    );
    expect(existsSync(join(dir, 'out2'))).toBe(false);
  });

  it('adds to an existing destination; a failed import leaves it as it was, with no staging folder beside it', () => {
    const dir = temp('ser-existing-');
    const dest = join(dir, 'ravdess');
    mkdirSync(join(dest, 'Actor_09'), { recursive: true });
    writeFileSync(join(dest, 'Actor_09/keep.txt'), 'mine');
    writeFileSync(join(dir, 'a1.zip'), writeZip(entries.slice(0, 60)));
    importRavdess(dir, join(dir, 'a1.zip'), dest, () => {}, sink);
    expect(readdirSync(dest).sort()).toEqual(['Actor_01', 'Actor_09']);
    const bad = entries.slice(60).map((e, i) => (i === 59 ? { name: e.name, data: e.data.subarray(0, e.data.length - 2) } : e)); // the last one truncated
    writeFileSync(join(dir, 'a2.zip'), writeZip(bad));
    expect(() => importRavdess(dir, join(dir, 'a2.zip'), dest, () => {}, sink)).toThrow(
      /Actor_02\/03-01-08-02-02-02-02\.wav: sha256 [0-9a-f]{12}…, expected [0-9a-f]{12}…/,
    );
    expect(readdirSync(dest).sort()).toEqual(['Actor_01', 'Actor_09']);
    expect(readdirSync(dir).sort()).toEqual(['a1.zip', 'a2.zip', 'ravdess']);
    expect(readFileSync(join(dest, 'Actor_09/keep.txt'), 'utf8')).toBe('mine');
  });

  it('names the problem with a bad source', () => {
    const dir = release(['02']);
    expect(() => importRavdess(dir, join(dir, 'nope.zip'), join(dir, 'o'), () => {}, sink)).toThrow(/nope.zip: no such file or folder/);
    writeFileSync(join(dir, 'fake.zip'), 'not a zip');
    expect(() => importRavdess(dir, join(dir, 'fake.zip'), join(dir, 'o'), () => {}, sink)).toThrow(/fake.zip: not a zip archive/);
    const zip = join(dir, 'release.zip');
    execFileSync('python3', ['-m', 'zipfile', '-c', zip, 'Audio_Speech_Actors_01-24'], { cwd: dir });
    const bytes = readFileSync(zip);
    const name = '03-01-05-02-01-01-02.wav';
    bytes[bytes.indexOf(name) + name.length + 2] ^= 0xff; // inside that entry's compressed data (first match: its local header)
    writeFileSync(zip, bytes);
    expect(() => importRavdess(dir, zip, join(dir, 'o2'), () => {}, sink)).toThrow(/release.zip: .*(CRC mismatch|invalid|incorrect)/);
    expect(existsSync(join(dir, 'o2'))).toBe(false);
    expect(() => importRavdess(dir, join(dir, 'Audio_Speech_Actors_01-24/readme.txt'), join(dir, 'o3'), () => {}, sink)).toThrow(/not a zip archive/);
  });

  it('writes actor ranges compactly', () => {
    expect(actorRanges(['21', '22', '23', '24'])).toBe('21–24');
    expect(actorRanges(['01', '03', '04', '05', '09'])).toBe('01, 03–05, 09');
  });
});
