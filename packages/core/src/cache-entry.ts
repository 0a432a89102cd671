/**
 * Checking an Nx cache entry of a pipeline stage before Nx restores it. Nx checks nothing it
 * restores: a corrupt or truncated entry would become `data/<stage>` and count as a hit. An
 * entry is the gzipped tar Nx's client uploads: the task's outputs (`data/<stage>/…`, paths
 * relative to the workspace) beside Nx's own `terminalOutput` and `code`.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { sha256 } from './hash.ts';
import { MANIFEST_FILE, OUTPUTS_HASH_FILE, stageDir } from './layout.ts';
import { outputsProblem } from './manifest.ts';
import type { StageManifest } from './stage.ts';
import { readTar } from './tar.ts';

/** What Nx's client puts in every entry besides the outputs. */
const NX_ENTRY_FILES = new Set(['terminalOutput', 'code']);

/** The stage folder a path of the entry lies in (`data/<stage>`), or null. */
const stageFolderOf = (path: string) => /^(data\/[^/]+)\//.exec(path)?.[1] ?? null;

/**
 * null when every stage folder in the entry (`entry`: the gzipped tar) holds exactly what its
 * manifest lists, each file with its recorded sha256, as checkOutputs requires of local outputs;
 * else what is wrong. An entry without stage outputs is wrong too: restoring it would be a hit that
 * restores nothing.
 */
export async function cacheEntryProblem(entry: Uint8Array): Promise<string | null> {
  let files: Map<string, Uint8Array>;
  try {
    files = readTar(await promisify(gunzip)(entry));
  } catch (e) {
    return `unreadable archive (${(e as Error).message})`;
  }
  const folders = new Set<string>();
  for (const path of files.keys()) {
    const folder = stageFolderOf(path);
    if (folder) folders.add(folder);
    else if (!NX_ENTRY_FILES.has(path)) return `${path} is not a stage output`;
  }
  if (!folders.size) return 'it holds no stage outputs';
  for (const folder of folders) {
    let m: StageManifest;
    try {
      m = JSON.parse(new TextDecoder().decode(files.get(`${folder}/${MANIFEST_FILE}`) ?? new Uint8Array())) as StageManifest;
    } catch {
      return `${folder}/${MANIFEST_FILE} is missing or unreadable`;
    }
    if (stageDir('', m.stage) !== folder) return `${folder}/${MANIFEST_FILE} is the manifest of stage '${m.stage}'`;
    const listed = new Set([MANIFEST_FILE, OUTPUTS_HASH_FILE, ...Object.values(m.outputs).map((o) => o.file)]);
    const unlisted = [...files.keys()].find((p) => stageFolderOf(p) === folder && !listed.has(p.slice(folder.length + 1)));
    if (unlisted) return `${unlisted} is not listed in its manifest`;
    const problem = await outputsProblem(m, async (file) => {
      const bytes = files.get(`${folder}/${file}`);
      return bytes ? sha256(bytes) : null;
    });
    if (problem) return `${folder}: ${problem}`;
  }
  return null;
}
