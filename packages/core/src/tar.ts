/**
 * Reading a tar archive in memory: the regular files of an Nx cache entry (Nx's client writes GNU
 * tar through the Rust `tar` crate). Anything a cache entry has no business holding (links,
 * devices, a path leaving the archive) is refused rather than skipped, so nothing passes unchecked.
 */

const BLOCK = 512;

/** A NUL-terminated (or full-width) header field. */
function text(field: Uint8Array): string {
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}

function octal(field: Uint8Array, where: string): number {
  const digits = text(field).trim();
  if (!/^[0-7]*$/.test(digits)) throw new Error(`tar: ${where}: bad size field '${digits}'`);
  return digits ? parseInt(digits, 8) : 0;
}

/** The regular files of `archive`, by path (directories are implied by the paths). */
export function readTar(archive: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  let longName: string | null = null;
  for (let at = 0; at + BLOCK <= archive.length;) {
    const header = archive.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) return files; // end-of-archive marker
    // POSIX ustar ("ustar\0") keeps a path prefix at 345; GNU tar ("ustar  ") keeps times there.
    const posix = text(header.subarray(257, 263)) === 'ustar' && header[262] === 0;
    const prefix = posix ? text(header.subarray(345, 500)) : '';
    const name = longName ?? (prefix ? `${prefix}/` : '') + text(header.subarray(0, 100));
    const size = octal(header.subarray(124, 136), name);
    const type = String.fromCharCode(header[156] || 0x30);
    const body = archive.subarray(at + BLOCK, at + BLOCK + size);
    if (body.length < size) throw new Error(`tar: ${name}: truncated (${body.length} of ${size} bytes)`);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    longName = null;
    if (type === 'L')
      longName = text(body); // GNU long name: it names the next entry
    else if (type === '0' || type === '7') {
      if (name.startsWith('/') || name.split('/').includes('..')) throw new Error(`tar: refusing the path '${name}'`);
      files.set(name.replace(/^\.\//, ''), body);
    } else if (type !== '5') throw new Error(`tar: ${name}: entries of type '${type}' are not expected here`);
  }
  throw new Error('tar: no end-of-archive marker (truncated archive)');
}
