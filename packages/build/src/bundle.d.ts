/**
 * Path of a runnable bundle of the TypeScript module `code` (which imports what it needs by absolute
 * path), named `name` and placed beside the package of the file `near`; built when missing or stale.
 */
export function bundle(name: string, code: string, near: string): Promise<string>;
export const WORKSPACE_SCOPE: string;
