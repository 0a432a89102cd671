/**
 * Just enough of the ZIP format (APPNOTE.TXT 4.3) to read Zenodo's RAVDESS archive: the central
 * directory, stored (0) and deflated (8) entries, with CRC checks. ZIP64 archives are refused by name.
 */
import { inflateRawSync, crc32 } from 'node:zlib';

export interface ZipEntry {
  name: string;
  read(): Uint8Array;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function readZip(buf: Buffer, file: string): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip archive (no end-of-central-directory record)`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  if (at === 0xffffffff || count === 0xffff) throw new Error(`${file}: ZIP64 archives are not supported; unzip it and pass the folder`);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== CENTRAL) throw new Error(`${file}: corrupt central directory at byte ${at}`);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const compressed = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    at += 46 + nameLen + extraLen + commentLen;
    entries.push({
      name,
      read() {
        if (buf.readUInt32LE(local) !== LOCAL) throw new Error(`${file}: ${name}: corrupt local header`);
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const raw = buf.subarray(start, start + compressed);
        if (method !== 0 && method !== 8) throw new Error(`${file}: ${name}: unsupported compression method ${method}`);
        let data: Buffer;
        try {
          data = method === 0 ? raw : inflateRawSync(raw);
        } catch (e) {
          throw new Error(`${file}: ${name}: corrupt compressed data (${(e as Error).message})`, { cause: e });
        }
        if (crc32(data) !== crc) throw new Error(`${file}: ${name}: CRC mismatch (truncated or corrupt archive)`);
        return data;
      },
    });
  }
  return entries;
}
