/** A worker module bundled with the message loop of worker-entry.ts into one runnable script (see bundle.js). */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '@ser/build/bundle';

const ENTRY = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));

/** Path of the runnable worker script for the worker module at `moduleUrl`. */
export function bundledWorker(moduleUrl: URL | string): Promise<string> {
  const modulePath = fileURLToPath(moduleUrl);
  const code = `import * as mod from ${JSON.stringify(modulePath)};\nimport { serve } from ${JSON.stringify(ENTRY)};\nserve(mod, ${JSON.stringify(modulePath)});\n`;
  return bundle(basename(modulePath).replace(/\.[cm]?[jt]s$/, ''), code, modulePath);
}
