import type { Server } from 'node:http';

/** The cache server (not yet listening): entries are files in `dir`, written once. */
export function createCacheServer(options: {
  dir: string;
  /** Trusted machines (main-branch CI): may write and read. */
  readWriteTokens: string[];
  /** Everyone else: may read; a PUT is 403. */
  readOnlyTokens?: string[];
  /** Largest entry accepted (413 above it); default 4 GiB. */
  maxBytes?: number;
  log?: (line: string) => void;
}): Server;
