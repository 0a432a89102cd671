/** `ser data ravdess --from <zip|folder>`: bring RAVDESS speech into dataset.path as Actor_XX/*.wav. */
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { PIPELINE_FILE, listFiles, loadPipeline, writeFileAtomic } from '@ser/core';
import { readZip } from './zip.ts';

/** `…/Actor_07/03-01-05-02-01-01-07.wav` → `Actor_07/03-01-05-02-01-01-07.wav`. */
const ACTOR_FILE = /(?:^|\/)(Actor_\d{2}\/[^/]+\.wav)$/i;

export async function importRavdess(root: string, from: string, to?: string, log = (m: string) => console.log(m)): Promise<number> {
  const dest = to ? resolve(to) : (() => {
    const { path } = loadPipeline(join(root, PIPELINE_FILE)).dataset;
    return isAbsolute(path) ? path : join(root, path);
  })();
  let stat;
  try {
    stat = statSync(from);
  } catch {
    throw new Error(`--from ${from}: no such file or folder`);
  }
  const put = (relative: string, write: (target: string) => void) => {
    mkdirSync(join(dest, relative.split('/')[0]), { recursive: true });
    write(join(dest, relative));
  };
  let imported = 0;
  let skipped = 0;
  if (stat.isDirectory()) {
    for (const file of listFiles(from)) {
      const m = ACTOR_FILE.exec(file.split('\\').join('/'));
      if (!m) skipped++;
      else put(m[1], (target) => copyFileSync(join(from, file), target)), imported++;
    }
  } else {
    for (const entry of readZip(readFileSync(from), from)) {
      if (entry.name.endsWith('/')) continue;
      const m = ACTOR_FILE.exec(entry.name);
      if (!m) skipped++;
      else put(m[1], (target) => writeFileAtomic(target, entry.read())), imported++;
    }
  }
  if (imported === 0) throw new Error(`--from ${from}: no Actor_XX/*.wav files found`);
  log(`imported ${imported} WAV file(s) into ${dest}${skipped ? ` (${skipped} other file(s) ignored)` : ''}`);
  return imported;
}
