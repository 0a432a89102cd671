/**
 * End to end through Nx's self-hosted remote cache (tools/nx-cache-server.mjs on 127.0.0.1), on real
 * audio (RAVDESS actors 01 and 02, one epoch): clone A fills the cache with a read-write token;
 * fresh clones (empty data/, no .nx) restore from it with a read-only token; an entry corrupted
 * on the server is caught and its stage runs again; entries are never overwritten; with the
 * server stopped a run goes on locally with one warning line.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, sha256 } from '@ser/core';
import { CHANGED_RATE, copyWorkspace, quickPipeline, REPO, restoreActors, type Workspace } from './workspace.ts';

const ALL = ['ingest', 'trim', 'mel', 'augment', 'split', 'train', 'eval'];
const TOKENS = { NX_CACHE_READ_WRITE_TOKENS: 'trusted-ci', NX_CACHE_READ_ONLY_TOKENS: 'everyone' };
const store = mkdtempSync(join(tmpdir(), 'ser-remote-cache-'));
let server: ChildProcess;
let url: string;
let ravdess: string;
let a: Workspace;

/** The server in a process of its own: the test blocks in spawnSync while Nx talks to it. */
async function startServer(): Promise<void> {
  server = spawn(process.execPath, [join(REPO, 'tools/nx-cache-server.mjs'), '--dir', store, '--port', '0'], {
    env: { ...process.env, ...TOKENS },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      const m = /nx cache server: (http:\S+),/.exec(chunk.toString());
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`nx-cache-server exited (${code})`)));
  });
}

/** A fresh clone (empty data/, no .nx) of the workspace, reading the dataset at `dataset`. */
const clone = (dataset = ravdess) => copyWorkspace((yaml) => quickPipeline(yaml, dataset));

const remote = (token: string) => ({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token });

/** `npx nx run pipeline:<target>` in a workspace, as a teammate types it; fails loudly on a non-zero exit. */
function nx(ws: Workspace, target: string, env: Record<string, string>): string {
  const r = spawnSync('npx', ['nx', 'run', `pipeline:${target}`, '--outputStyle=stream'], {
    cwd: ws.root,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0', ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const output = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`nx run pipeline:${target} failed (${r.status}):\n${output.slice(-4000)}`);
  return output;
}

/** Entries on the server: name → sha256. */
const entries = () =>
  new Map(
    readdirSync(store)
      .filter((f) => !f.startsWith('.'))
      .map((f) => [f, sha256(readFileSync(join(store, f)))]),
  );

/** The name of the entry that holds stage `stage`'s outputs, and its bytes. */
function entryOf(stage: string): [string, Buffer] {
  for (const name of entries().keys()) {
    const bytes = readFileSync(join(store, name));
    if (gunzipSync(bytes).includes(`data/${stage}/manifest.json`)) return [name, bytes];
  }
  throw new Error(`no entry of stage '${stage}' on the server`);
}

/** Every file of data/<stage>, by name, with its sha256 (comparing the bytes themselves would make vitest build diffs of MBs). */
const stageFiles = (ws: Workspace, stage: string) => {
  const dir = join(ws.root, 'data', stage);
  return Object.fromEntries(listFiles(dir).map((f) => [f, sha256(readFileSync(join(dir, f)))]));
};

const remoteWarnings = (output: string) => output.split('\n').filter((l) => l.includes('warning: remote cache'));

beforeAll(async () => {
  ravdess = restoreActors(['01', '02']);
  await startServer();
  a = clone();
  const { code, output } = a.ser(['run'], remote('trusted-ci'));
  if (code !== 0) throw new Error(`ser run in clone A failed (${code}):\n${output.slice(-4000)}`);
  expect(a.executions().map((e) => e.stage)).toEqual(ALL);
}, 600_000);

afterAll(() => {
  server.kill();
});

describe('a team sharing an Nx remote cache', () => {
  it('clone A filled the server: one entry per stage', () => {
    expect(entries().size).toBe(ALL.length);
  });

  it('a fresh clone restores every stage from the remote cache, byte-identical to A, and writes nothing', () => {
    const b = clone();
    expect(existsSync(join(b.root, '.nx'))).toBe(false);
    const before = entries();
    const output = nx(b, 'all', remote('everyone'));
    expect(b.executions()).toEqual([]);
    for (const stage of ALL) expect(stageFiles(b, stage), stage).toEqual(stageFiles(a, stage));
    expect(output).toMatch(/Nx read the output from the cache instead of running the command for 7 out of 8 tasks/);
    expect(remoteWarnings(output)).toEqual([]);
    expect(entries()).toEqual(before);
  });

  it('a clone elsewhere with its own copy of the dataset: only ingest runs (its key is machine-specific), the rest is restored', () => {
    const e = clone(restoreActors(['01', '02']));
    nx(e, 'all', remote('everyone'));
    expect(e.executions().map((x) => x.stage)).toEqual(['ingest']);
    expect(e.readJson('data/ingest/manifest.json').outputsHash).toBe(a.readJson('data/ingest/manifest.json').outputsHash);
    for (const stage of ALL.slice(1)) expect(stageFiles(e, stage), stage).toEqual(stageFiles(a, stage));
  });

  it('an entry corrupted on the server is caught: that stage runs again, and a read-only token writes nothing', () => {
    const mel = a.readJson('data/mel/manifest.json');
    const tensors = mel.outputs.tensors;
    const [hash, entry] = entryOf('mel');
    const tar = gunzipSync(entry);
    // One flipped byte in the middle of the tensor file; the archive stays a valid gzip.
    tar[tar.indexOf(`data/mel/${tensors.file}`) + 512 + (tensors.bytes >> 1)] ^= 0xff;
    writeFileSync(join(store, hash), gzipSync(tar));
    const before = entries();

    const c = clone();
    const output = nx(c, 'all', remote('everyone'));
    expect(remoteWarnings(output)).toEqual([
      expect.stringMatching(new RegExp(`remote cache entry ${hash} failed verification \\(data/mel: output 'tensors' .* is corrupt\\)`)),
    ]);
    expect(c.executions().map((e) => e.stage)).toEqual(['mel']);
    // mel ran again and wrote the same outputs; its manifest differs only in when and how long.
    for (const stage of ALL.filter((s) => s !== 'mel')) expect(stageFiles(c, stage), stage).toEqual(stageFiles(a, stage));
    const { 'manifest.json': _, ...melOutputs } = stageFiles(c, 'mel');
    expect(stageFiles(a, 'mel')).toMatchObject(melOutputs);
    expect(c.readJson('data/mel/manifest.json').outputsHash).toBe(mel.outputsHash);
    expect(entries()).toEqual(before);
  });

  it('a second write of an existing key is refused: a trusted run of the same stage cannot replace the entry', async () => {
    const d = clone();
    const before = entries();
    // One stage on its own: restored upstream, the corrupt mel entry caught, mel run here and uploaded under the same key.
    const output = nx(d, 'mel', remote('trusted-ci'));
    expect(d.executions().map((e) => e.stage)).toEqual(['mel']);
    expect(remoteWarnings(output)).toHaveLength(1);
    expect(entries()).toEqual(before);
    const [hash, entry] = entryOf('mel');
    const put = await fetch(`${url}/v1/cache/${hash}`, { method: 'PUT', body: new Uint8Array(entry), headers: { authorization: 'Bearer trusted-ci' } });
    expect(put.status).toBe(409);
  });

  it('with the server stopped, a run goes on locally with one warning line', async () => {
    server.kill();
    await new Promise((resolve) => server.once('exit', resolve));
    const before = a.executions().length;
    const { code, output } = a.ser(['run', '--set', `train.learningRate=${CHANGED_RATE}`], remote('trusted-ci'));
    expect(code, output.slice(-4000)).toBe(0);
    expect(
      a
        .executions()
        .slice(before)
        .map((e) => e.stage),
    ).toEqual(['train', 'eval']);
    expect(remoteWarnings(output)).toEqual([
      expect.stringMatching(/^warning: remote cache http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\); this run goes on with the local cache only$/),
    ]);
  });
});
