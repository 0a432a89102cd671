/**
 * `ser data ravdess [--from <zip|folder>]`: bring RAVDESS speech into dataset.path as Actor_XX/*.wav,
 * downloading Zenodo's zip into the cache folder first unless `--from` names a copy.
 *
 * Every WAV is checked against the shipped checksum list before anything is written into the
 * destination: files are verified while being written into a staging folder beside it, and only
 * when all are good are they renamed into place. A copy with some actors only is imported, with a
 * line saying which are missing. Entries named like RAVDESS speech WAVs but not in the list are
 * refused by name; anything else (song, video, stray files) is skipped with a counted warning.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { createProgress, listFiles, loadDataset } from '@ser/core';
import { RAVDESS_CHECKSUMS_FILE, RAVDESS_CITATION, RAVDESS_LICENCE, RAVDESS_SPEECH_URL, ravdessChecksums } from '@ser/ingest';
import { classify, coverage, formatCoverage, sha256, shortHash } from './data/checksums.ts';
import { DownloadError, cacheDir, download, type DownloadOptions } from './data/download.ts';
import { readZip } from './zip.ts';

type Log = (message: string) => void;
const count = (n: number) => n.toLocaleString('en-US');

function destination(root: string, to?: string): string {
  if (to) return resolve(to);
  const { path } = loadDataset(root);
  return isAbsolute(path) ? path : join(root, path);
}

export interface DataRavdessOptions {
  /** A zip or folder to import instead of downloading. */
  from?: string;
  to?: string;
  url?: string;
  cacheDir?: string;
  retries?: number;
  log?: Log;
  /** Download tuning and where the progress lines go (tests). */
  download?: Omit<DownloadOptions, 'log' | 'retries'>;
}

/** The whole command: licence and citation, download (unless `from`), verified import. */
export async function dataRavdess(root: string, options: DataRavdessOptions = {}): Promise<number> {
  const log = options.log ?? ((m: string) => console.log(m));
  const dest = destination(root, options.to);
  log(`RAVDESS speech (Livingstone & Russo 2018), licence ${RAVDESS_LICENCE}.\nCite: ${RAVDESS_CITATION}`);
  if (options.from) return importRavdess(root, options.from, dest, log, options.download?.progress?.stream);
  const url = options.url ?? RAVDESS_SPEECH_URL;
  const name = decodeURIComponent(basename(new URL(url).pathname)) || 'Audio_Speech_Actors_01-24.zip';
  const file = join(cacheDir(options.cacheDir), 'ravdess', name);
  try {
    await download(url, file, { ...options.download, retries: options.retries, log });
  } catch (e) {
    if (e instanceof DownloadError) {
      const hint =
        e.kind === 'network'
          ? `Offline, or the host unreachable? Download ${name} where it can be reached and import it: npx ser data ravdess --from <zip>`
          : `Nothing was downloaded; pass another --url, or import a copy you have: npx ser data ravdess --from <zip>`;
      throw new Error(`${e.message}\n${hint}`, { cause: e });
    }
    throw e;
  }
  try {
    return importRavdess(root, file, dest, log, options.download?.progress?.stream);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n(the downloaded zip is ${file}: delete it to download again)`, { cause: e });
  }
}

interface Entry {
  name: string;
  read(): Uint8Array;
}

/** Import `from` (a zip or a folder) into `to` (default dataset.path); returns the number of WAVs imported. */
export function importRavdess(
  root: string,
  from: string,
  to?: string,
  log: Log = (m) => console.log(m),
  progressStream?: { isTTY?: boolean; write(s: string): unknown },
): number {
  const dest = destination(root, to);
  let stat;
  try {
    stat = statSync(from);
  } catch {
    throw new Error(`--from ${from}: no such file or folder`);
  }
  const entries: Entry[] = stat.isDirectory()
    ? listFiles(from).map((file) => ({ name: file.split('\\').join('/'), read: () => readFileSync(join(from, file)) }))
    : readZip(readFileSync(from), from).filter((e) => !e.name.endsWith('/'));
  const sums = ravdessChecksums();
  const listed = entries.map((e) => ({ entry: e, kind: classify(e.name, sums) }));
  const unlisted = listed.flatMap(({ kind }) => (kind.kind === 'unlisted' ? [kind.path] : []));
  if (unlisted.length) {
    throw new Error(
      `${from}: ${unlisted.length} file(s) named like RAVDESS speech recordings are not in its checksum list (${RAVDESS_CHECKSUMS_FILE}), ` +
        `so they are not RAVDESS speech WAVs; nothing was imported into ${dest}: ${unlisted.slice(0, 5).join(', ')}${unlisted.length > 5 ? ', …' : ''}`,
    );
  }
  const skipped = listed.filter(({ kind }) => kind.kind === 'other').map(({ entry }) => entry.name);
  const todo = listed.flatMap(({ entry, kind }) => (kind.kind === 'listed' ? [{ entry, path: kind.path }] : []));
  if (todo.length === 0) throw new Error(`--from ${from}: no RAVDESS speech WAVs (Actor_XX/03-01-*.wav) found`);

  // Stage beside the destination (same file system, so the final step is renames only).
  mkdirSync(dirname(dest), { recursive: true });
  const staging = join(dirname(dest), `.${basename(dest)}.import-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const imported = new Set<string>();
  const bad: string[] = [];
  const progress = createProgress('verifying RAVDESS WAVs', todo.length, progressStream ? { stream: progressStream } : {});
  try {
    for (const { entry, path } of todo) {
      progress.tick();
      if (imported.has(path)) continue; // the same file twice in a folder tree: verified once
      const bytes = entry.read();
      const got = sha256(bytes);
      const want = sums.get(path)!;
      if (got !== want) {
        bad.push(`${entry.name}: sha256 ${shortHash(got)}, expected ${shortHash(want)}`);
        continue;
      }
      imported.add(path);
      if (bad.length) continue; // keep checking, to name every bad file, but write no more
      mkdirSync(join(staging, dirname(path)), { recursive: true });
      writeFileSync(join(staging, path), bytes);
    }
    progress.done();
    if (bad.length) {
      throw new Error(
        `${from}: ${bad.length} file(s) differ from the published RAVDESS recordings (checksum list ${RAVDESS_CHECKSUMS_FILE}); nothing was imported into ${dest}:\n  ` +
          bad.slice(0, 10).join('\n  ') +
          (bad.length > 10 ? `\n  … and ${bad.length - 10} more` : ''),
      );
    }
    moveIntoPlace(staging, dest, [...imported]);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }

  const gaps = formatCoverage(coverage(sums, imported));
  log(
    `imported ${count(imported.size)} of ${count(sums.size)} RAVDESS speech files into ${dest} (sha256 of each verified)${gaps ? `; ${gaps} in ${from}` : ''}`,
  );
  if (skipped.length) {
    const example = skipped.slice(0, 3).join(', ');
    log(`warning: skipped ${count(skipped.length)} file(s) that are not RAVDESS speech WAVs (e.g. ${example})`);
  }
  return imported.size;
}

/** All files verified: the staging folder becomes the destination, or its files join it. */
function moveIntoPlace(staging: string, dest: string, paths: string[]) {
  if (!existsSync(dest)) {
    renameSync(staging, dest);
    return;
  }
  for (const path of paths.sort()) {
    mkdirSync(join(dest, dirname(path)), { recursive: true });
    try {
      renameSync(join(staging, path), join(dest, path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e; // dest's actor folder is a link to another file system
      copyFileSync(join(staging, path), join(dest, path));
    }
  }
}
