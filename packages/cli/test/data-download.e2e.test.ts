/**
 * `ser data ravdess` without --from: download from a local HTTP server on 127.0.0.1 (the URL is
 * `--url`), resume, retries, error statuses, then the verified import. Real RAVDESS WAVs, restored
 * from ../shared with restore.sh; zips written by ravdess-fixtures.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataRavdess } from '../src/data.ts';
import { actorEntries, serve, writeZip, type Served, type ServeOptions, type ZipInput } from './ravdess-fixtures.ts';
import { REPO, restoreActors, tempDirs } from './workspace.ts';

let restored: string;
const temp = tempDirs();
let entries: ZipInput[];
let zip: Buffer;
beforeAll(() => {
  restored = restoreActors(['01', '02'], temp('ser-ravdess-'));
  entries = actorEntries(restored, ['01', '02']);
  zip = writeZip(entries);
});

const servers: Served[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function start(body: Buffer, options?: ServeOptions) {
  const s = await serve(body, options);
  servers.push(s);
  return s;
}

/** A fresh destination and cache folder; the command's log lines and progress output. */
function setup() {
  const dir = temp('ser-dl-');
  const lines: string[] = [];
  const progress: string[] = [];
  const run = (url: string, extra: { retries?: number } = {}) =>
    dataRavdess(REPO, {
      to: join(dir, 'ravdess'),
      url,
      cacheDir: join(dir, 'cache'),
      log: (m) => lines.push(m),
      retries: extra.retries,
      download: { retryDelayMs: 5, progress: { stream: { write: (s: string) => progress.push(s) }, intervalMs: 0 } },
    });
  return { dir, dest: join(dir, 'ravdess'), cached: join(dir, 'cache', 'ravdess', 'Audio_Speech_Actors_01-24.zip'), lines, progress, run };
}

/**
 * Where the second request asked to resume. A cut connection can lose the last chunks the client had
 * received but not yet read (the body stream errors and drops its queue), so the part may end before
 * the cut; what matters is that the resume starts exactly where the part ended.
 */
function resumedAt(server: Served): number {
  const m = /^bytes=(\d+)-$/.exec(String(server.requests[1].headers.range));
  expect(m, String(server.requests[1].headers.range)).not.toBeNull();
  return Number(m![1]);
}

/** Every restored WAV of the given actors is in dest, byte for byte, and nothing else. */
function expectImported(dest: string, actors: string[]) {
  expect(readdirSync(dest).sort()).toEqual(actors.map((a) => `Actor_${a}`));
  for (const a of actors) {
    const want = readdirSync(join(restored, `Actor_${a}`)).sort();
    expect(readdirSync(join(dest, `Actor_${a}`)).sort()).toEqual(want);
    for (const f of want) expect(readFileSync(join(dest, `Actor_${a}`, f)).equals(readFileSync(join(restored, `Actor_${a}`, f)))).toBe(true);
  }
}

/** Nothing of dest exists, and no staging folder was left beside it. */
function expectNothingWritten(dir: string) {
  expect(readdirSync(dir).filter((f) => f !== 'cache')).toEqual([]);
}

describe('ser data ravdess (download)', () => {
  it('downloads through the CLI, prints licence and citation, imports byte-identical files and names the missing actors', async () => {
    const server = await start(zip);
    const { dir, dest, cached } = setup();
    const cli = spawn(
      process.execPath,
      [join(REPO, 'packages/cli/bin/ser.js'), 'data', 'ravdess', '--url', server.url, '--cache-dir', join(dir, 'cache'), '--to', dest],
      {
        cwd: REPO,
        env: { ...process.env, FORCE_COLOR: '0' },
      },
    );
    let output = '';
    cli.stdout.on('data', (d) => (output += d));
    cli.stderr.on('data', (d) => (output += d));
    const code = await new Promise((r) => cli.on('close', r));
    expect(output, output).toMatch(/imported 120 of 1,440 RAVDESS speech files into .*; actors 03–24 missing/);
    expect(code).toBe(0);
    expect(output).toContain('CC BY-NC-SA 4.0');
    expect(output).toContain(
      'Livingstone SR, Russo FA (2018) The Ryerson Audio-Visual Database of Emotional Speech and Song (RAVDESS). PLoS ONE 13(5): e0196391',
    );
    expect(output).toContain('Zenodo record 1188976');
    expect(output).toMatch(/downloading Audio_Speech_Actors_01-24\.zip: [\d.]+ MB\/[\d.]+ MB \(100%\) [\d.]+ [kMG]?B\/s, elapsed [\d.]+s, ETA /); // bytes, rate, ETA
    expect(server.requests).toHaveLength(1);
    expect(readFileSync(cached).equals(zip)).toBe(true);
    expect(existsSync(`${cached}.part`)).toBe(false);
    expectImported(dest, ['01', '02']);
  });

  it('resumes a download cut in the middle with a Range request (If-Range: the ETag); the zip is byte-identical', async () => {
    const cut = Math.floor(zip.length / 3);
    const server = await start(zip, { cutFirstAt: cut });
    const { dest, cached, lines, run } = setup();
    expect(await run(server.url)).toBe(120);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0].headers.range).toBeUndefined();
    expect(resumedAt(server)).toBeGreaterThan(0);
    expect(resumedAt(server)).toBeLessThanOrEqual(cut);
    expect(server.requests[1].headers['if-range']).toBe('"ravdess-test-1"');
    expect(lines.join('\n')).toMatch(/retrying in .*resuming at/);
    expect(readFileSync(cached).equals(zip)).toBe(true);
    expectImported(dest, ['01', '02']);
  });

  it('restarts from byte 0 when the server ignores Range, and the result is still byte-identical', async () => {
    const server = await start(zip, { cutFirstAt: 1_000_000, ignoreRange: true });
    const { cached, lines, run } = setup();
    await run(server.url);
    expect(resumedAt(server)).toBeGreaterThan(0);
    expect(lines.join('\n')).toContain('the server sent the whole file');
    expect(readFileSync(cached).equals(zip)).toBe(true);
  });

  it('does not splice a changed file: a part whose ETag is stale is downloaded again whole', async () => {
    const server = await start(zip, { cutFirstAt: 1_000_000, etag: '"old"' });
    const { cached, run } = setup();
    await expect(run(server.url, { retries: 0 })).rejects.toThrow(/cannot download http:\/\/127\.0\.0\.1.*gave up after 1 request/s);
    const partBytes = readFileSync(`${cached}.part`).length;
    expect(partBytes).toBeGreaterThan(0);
    expect(partBytes).toBeLessThanOrEqual(1_000_000);
    const changed = writeZip(entries.slice(0, 60));
    server.replace(changed, '"new"'); // the file on the server changed meanwhile
    await run(server.url);
    expect(server.requests[1].headers.range).toBe(`bytes=${partBytes}-`);
    expect(server.requests[1].headers['if-range']).toBe('"old"');
    expect(readFileSync(cached).equals(changed)).toBe(true);
  });

  it('reuses a complete earlier download of the same URL without a request', async () => {
    const server = await start(zip);
    const { lines, run } = setup();
    await run(server.url);
    await run(server.url);
    expect(server.requests).toHaveLength(1);
    expect(lines.join('\n')).toMatch(/using .*Audio_Speech_Actors_01-24\.zip \(downloaded earlier/);
  });

  it('404: not retried; the error names the status and the URL; nothing written into the destination', async () => {
    const server = await start(zip, { status: 404 });
    const { dir, run } = setup();
    await expect(run(server.url)).rejects.toThrow(new RegExp(`HTTP 404 Not Found from ${server.url.replace(/[?.]/g, '\\$&')}`));
    expect(server.requests).toHaveLength(1);
    expectNothingWritten(dir);
  });

  it('500: retried with backoff, then the error names the status and the URL; nothing written', async () => {
    const server = await start(zip, { status: 500 });
    const { dir, lines, run } = setup();
    await expect(run(server.url, { retries: 3 })).rejects.toThrow(
      /HTTP 500 Internal Server Error from http:\/\/127\.0\.0\.1:\d+\/files\/Audio_Speech_Actors_01-24\.zip\?download=1 \(gave up after 4 request/,
    );
    expect(server.requests).toHaveLength(4);
    expect(lines.filter((l) => l.includes('retrying in'))).toHaveLength(3);
    expectNothingWritten(dir);
  });

  it('connection refused (offline): the error names the URL and suggests --from', async () => {
    const server = await start(zip);
    const url = server.url;
    await server.close();
    const { dir, run } = setup();
    const err = await run(url, { retries: 1 }).catch((e: Error) => e);
    expect(String(err)).toContain(`cannot download ${url}`);
    expect(String(err)).toContain('ECONNREFUSED');
    expect(String(err)).toContain('npx ser data ravdess --from <zip>');
    expectNothingWritten(dir);
  });

  it('a zip with one altered WAV: the checksum error names it with both hashes; nothing imported', async () => {
    const victim = 'Actor_02/03-01-05-02-01-01-02.wav';
    const altered = entries.map((e) => (e.name === victim ? { name: e.name, data: Uint8Array.from(e.data, (b, i) => (i === 5000 ? b ^ 1 : b)) } : e));
    const server = await start(writeZip(altered)); // CRCs of the altered bytes: only sha256 can tell
    const { dir, run } = setup();
    const err = await run(server.url).catch((e: Error) => e);
    expect(String(err)).toMatch(new RegExp(`1 file\\(s\\) differ .*nothing was imported.*\\n  ${victim}: sha256 [0-9a-f]{12}…, expected [0-9a-f]{12}…`, 's'));
    expect(String(err)).toContain('delete it to download again');
    expectNothingWritten(dir);
  });
});
