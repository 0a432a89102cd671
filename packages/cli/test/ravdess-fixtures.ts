/**
 * Test fixtures for `ser data ravdess`: zips written here (stored or deflated entries, CRC from
 * node:zlib, no `zip` command needed) and a local HTTP server on 127.0.0.1 that serves one, with
 * Range support and ways to misbehave (cut the connection, ignore Range, answer an error status).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipInput {
  name: string;
  data: Uint8Array;
}

/** A zip archive of `entries` (method 0, or 8 with `deflate`), as APPNOTE 4.3 lays it out. */
export function writeZip(entries: ZipInput[], { deflate = false } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const body = deflate ? deflateRawSync(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(deflate ? 8 : 0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** `Actor_XX/<name>.wav` entries of a folder restored by restore.sh, sorted. */
export function actorEntries(dir: string, actors: string[]): ZipInput[] {
  return actors.flatMap((a) =>
    readdirSync(join(dir, `Actor_${a}`))
      .sort()
      .map((f) => ({ name: `Actor_${a}/${f}`, data: readFileSync(join(dir, `Actor_${a}`, f)) })),
  );
}

export interface Served {
  url: string;
  /** Method, path and headers of each request, in order. */
  requests: { method: string; url: string; headers: IncomingHttpHeaders }[];
  /** Serve other bytes from now on (the file changed on the server). */
  replace(body: Buffer, etag: string): void;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Answer every request with this status (and a short text body). */
  status?: number;
  /** Cut the connection of the first request after this many body bytes. */
  cutFirstAt?: number;
  /** Answer Range requests with the whole file (200), as some servers do. */
  ignoreRange?: boolean;
  /** The ETag sent (strong); a request whose If-Range differs gets the whole file. */
  etag?: string;
}

/** Serve `body` at http://127.0.0.1:<random port>/files/Audio_Speech_Actors_01-24.zip. */
export async function serve(body: Buffer, options: ServeOptions = {}): Promise<Served> {
  const requests: Served['requests'] = [];
  let etag = options.etag ?? '"ravdess-test-1"';
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (options.status) {
      res.writeHead(options.status, { 'content-type': 'text/plain' }).end(`status ${options.status}\n`);
      return;
    }
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    if (range && !options.ignoreRange && (!ifRange || ifRange === etag)) start = Number(range[1]);
    if (start >= body.length && range) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    const headers: Record<string, string | number> = {
      'content-type': 'application/zip',
      'content-length': body.length - start,
      etag,
      'accept-ranges': 'bytes',
    };
    if (start > 0) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    res.writeHead(start > 0 ? 206 : 200, headers);
    if (options.cutFirstAt !== undefined && requests.length === 1) {
      res.write(body.subarray(start, start + options.cutFirstAt), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body.subarray(start));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/files/Audio_Speech_Actors_01-24.zip?download=1`,
    requests,
    replace(newBody, newEtag) {
      body = newBody;
      etag = newEtag;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
