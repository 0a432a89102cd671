/**
 * Files under data/runs, named by a URL path, and nothing else: the only file access of the UI server
 * that a request can steer. A path leaves data/runs by `..` (plain or percent-encoded), by an
 * absolute path or an encoded slash, or by a symlink pointing out; each gives null (the server's 404).
 */
import { realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * The real path of the regular file `encodedPath` (the URL path after `/runs/`, still
 * percent-encoded) names inside `runsRoot`, or null when it names nothing there.
 */
export function runFile(runsRoot: string, encodedPath: string): string | null {
  let segments: string[];
  try {
    segments = encodedPath.split('/').map(decodeURIComponent);
  } catch {
    return null; // malformed percent-encoding
  }
  // Empty segments are `//` or a leading `/` (an absolute path); a decoded segment may not hold a separator.
  if (segments.some((s) => s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s))) return null;
  try {
    const root = realpathSync(runsRoot);
    const real = realpathSync(join(root, ...segments));
    return real.startsWith(root + sep) && statSync(real).isFile() ? real : null;
  } catch {
    return null; // missing, or a broken link
  }
}
