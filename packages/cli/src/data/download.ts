/**
 * Download one large file over HTTP(S) with Node's built-in fetch: a progress line (bytes, rate,
 * ETA), resume of an interrupted download into `<file>.part` with an HTTP Range request, and
 * retries with exponential backoff on network errors and 5xx/408/429 answers.
 *
 * Resume is safe only when the server still serves the same bytes: the validator it gave for the
 * first part (a strong ETag, else Last-Modified) goes out as If-Range, so a changed file comes back
 * whole (200) instead of as a spliced 206; the 206's Content-Range must start where the part ends
 * and give the same total length. A server that ignores Range (200) restarts the file from byte 0.
 * `<file>.part.json` holds the URL and validators of the part; `<file>.json` those of a complete file,
 * which is reused as it is while the URL is the same.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createProgress } from '@ser/core';

/** `--cache-dir`, else $SER_CACHE_DIR, else $XDG_CACHE_HOME/ser, else ~/.cache/ser. */
export function cacheDir(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return option || env.SER_CACHE_DIR || (env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, 'ser') : join(homedir(), '.cache', 'ser'));
}

export class DownloadError extends Error {
  constructor(
    message: string,
    /** `network`: no answer (DNS, refused, reset, stalled); `http`: an error status. */
    readonly kind: 'network' | 'http',
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface DownloadOptions {
  /** Retries after the first attempt of each stretch without progress (default 4). */
  retries?: number;
  /** Base delay of the exponential backoff, doubled per retry (default $SER_RETRY_DELAY_MS or 1000). */
  retryDelayMs?: number;
  /** Abort and retry (resuming) a response that sends nothing for this long (default 60 s). */
  stallMs?: number;
  log?: (message: string) => void;
  /** Where the progress line goes (default stderr) and how often off a TTY. */
  progress?: { stream?: { isTTY?: boolean; write(s: string): unknown }; intervalMs?: number };
}

export interface DownloadResult {
  file: string;
  bytes: number;
  /** A complete earlier download of the same URL was reused. */
  cached: boolean;
  /** Requests made (0 when cached). */
  requests: number;
}

interface PartMeta {
  url: string;
  etag?: string;
  lastModified?: string;
  total?: number;
}

const RETRY_STATUS = (status: number) => status >= 500 || status === 408 || status === 429;
/** Network errors worth no retry: the name does not exist. */
const FATAL_CODES = new Set(['ENOTFOUND', 'ERR_INVALID_URL', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '?';
  if (n < 1000) return `${Math.round(n)} B`;
  const [unit, div] = n < 1e6 ? ['kB', 1e3] : n < 1e9 ? ['MB', 1e6] : ['GB', 1e9];
  return `${(n / div).toFixed(1)} ${unit}`;
}

/** The innermost code and message of a fetch failure (`fetch failed` → cause ECONNREFUSED …). */
function describeError(e: unknown): { code?: string; message: string } {
  let err = e as { code?: string; message?: string; cause?: unknown; errors?: unknown[] } | undefined;
  for (let depth = 0; depth < 5 && err; depth++) {
    const next = (err.cause ?? err.errors?.[0]) as typeof err;
    if (err.code || !next) return { code: err.code, message: err.message || String(err) };
    err = next;
  }
  return { message: String(e) };
}

const readJson = <T>(file: string): T | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
};

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `bytes 100-199/1000` → { start: 100, total: 1000 } (total NaN when `*`). */
function parseContentRange(header: string | null): { start: number; total: number } | null {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header?.trim() ?? '');
  return m ? { start: Number(m[1]), total: m[2] === '*' ? NaN : Number(m[2]) } : null;
}

/** Download `url` into `file` (see the module comment); throws a DownloadError naming the URL. */
export async function download(url: string, file: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const retries = options.retries ?? 4;
  const baseDelay = options.retryDelayMs ?? (Number(process.env.SER_RETRY_DELAY_MS) || 1000);
  const stallMs = options.stallMs ?? 60_000;
  const log = options.log ?? ((m: string) => console.error(m));
  const part = `${file}.part`;
  const partMetaFile = `${part}.json`;
  const doneMetaFile = `${file}.json`;

  if (existsSync(file) && readJson<PartMeta>(doneMetaFile)?.url === url) {
    log(`using ${file} (downloaded earlier from ${url}; delete it to download again)`);
    return { file, bytes: statSync(file).size, cached: true, requests: 0 };
  }
  mkdirSync(dirname(file), { recursive: true });
  const restart = () => {
    rmSync(part, { force: true });
    rmSync(partMetaFile, { force: true });
  };
  if (existsSync(part) && readJson<PartMeta>(partMetaFile)?.url !== url) restart(); // a part of something else

  log(`downloading ${url}\n  into ${file}${existsSync(part) ? ` (resuming at ${formatBytes(sizeOf(part))})` : ''}`);
  let failures = 0;
  let requests = 0;
  let best = sizeOf(part); // the largest part so far: an attempt that grows it resets the failure count
  let restarts = 0; // resumes the server answered unusably; each drops the part, so one is enough unless it misbehaves
  for (;;) {
    const meta = readJson<PartMeta>(partMetaFile);
    const offset = meta && existsSync(part) ? sizeOf(part) : 0;
    if (offset === 0) restart();
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    if (offset > 0) {
      headers.range = `bytes=${offset}-`;
      const validator = meta?.etag && !meta.etag.startsWith('W/') ? meta.etag : meta?.lastModified;
      if (validator) headers['if-range'] = validator;
    }
    const abort = new AbortController();
    let stall: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(stall);
      stall = setTimeout(() => abort.abort(new Error(`no data for ${stallMs / 1000}s`)), stallMs);
    };
    let failure: DownloadError;
    try {
      requests++;
      arm();
      const res = await fetch(url, { headers, signal: abort.signal, redirect: 'follow' });
      let start = 0;
      let total = Number(res.headers.get('content-length') ?? NaN);
      if (res.status === 206) {
        const range = parseContentRange(res.headers.get('content-range'));
        if (!range || range.start !== offset || (meta?.total !== undefined && range.total !== meta.total)) {
          await res.body?.cancel();
          if (offset === 0 || ++restarts > 2) throw new DownloadError(`${url}: unusable partial answer (Content-Range ${res.headers.get('content-range')})`, 'http', 206);
          log(`${url}: the server's partial answer does not continue ${part} (Content-Range ${res.headers.get('content-range')}); starting again`);
          restart();
          continue;
        }
        start = offset;
        total = range.total;
      } else if (res.status === 416 && offset > 0 && ++restarts <= 2) {
        await res.body?.cancel();
        log(`${url}: the server refused to resume (416); starting again`);
        restart();
        continue;
      } else if (res.ok) {
        if (offset > 0) log(`${url}: the server sent the whole file (Range ignored, or the file changed); starting again`);
      } else {
        await res.body?.cancel().catch(() => {});
        const what = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} from ${url}`;
        throw Object.assign(new DownloadError(what, 'http', res.status), { retryAfter: Number(res.headers.get('retry-after') ?? NaN) });
      }
      const newMeta: PartMeta = { url, etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined, total: Number.isFinite(total) ? total : undefined };
      if (start === 0) rmSync(part, { force: true });
      writeFileSync(partMetaFile, JSON.stringify(newMeta));
      const fh = await open(part, start > 0 ? 'a' : 'w');
      const progress = createProgress(`downloading ${basename(file)}`, Number.isFinite(total) ? total : Infinity, {
        initial: start,
        format: formatBytes,
        ...options.progress,
      });
      let written = start;
      try {
        if (res.body) {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            arm();
            await fh.write(chunk);
            written += chunk.length;
            progress.tick(chunk.length);
          }
        }
      } finally {
        await fh.close();
        progress.done();
      }
      if (Number.isFinite(total) && written !== total) throw new Error(`the answer ended at byte ${written} of ${total}`);
      clearTimeout(stall);
      renameSync(part, file);
      writeFileSync(doneMetaFile, JSON.stringify({ ...newMeta, total: written }));
      rmSync(partMetaFile, { force: true });
      return { file, bytes: written, cached: false, requests };
    } catch (e) {
      if (e instanceof DownloadError) {
        if (e.kind === 'http' && !RETRY_STATUS(e.status ?? 0)) throw e; // 404 and the like: retrying cannot help
        failure = e;
      } else {
        const { code, message } = describeError(abort.signal.aborted ? abort.signal.reason : e);
        failure = new DownloadError(`cannot download ${url}: ${message}${code && !message.includes(code) ? ` (${code})` : ''}`, 'network');
        if (code && FATAL_CODES.has(code)) throw failure;
      }
    } finally {
      clearTimeout(stall);
    }
    const size = sizeOf(part);
    if (size > best) {
      best = size;
      failures = 0; // progress was made: the retry budget is for stretches without any
    }
    failures++;
    if (failures > retries) {
      failure.message += ` (gave up after ${requests} request(s)${retries ? `, ${failures} in a row without progress` : ''})`;
      throw failure;
    }
    const retryAfter = (failure as DownloadError & { retryAfter?: number }).retryAfter;
    const delay = Math.min(Math.max(baseDelay * 2 ** (failures - 1), Number.isFinite(retryAfter) ? retryAfter! * 1000 : 0), 60_000);
    log(`${failure.message}; retrying in ${(delay / 1000).toFixed(delay < 10_000 ? 1 : 0)}s (retry ${failures} of ${retries}${size ? `, resuming at ${formatBytes(size)}` : ''})`);
    await sleep(delay);
  }
}
