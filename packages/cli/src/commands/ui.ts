/** `ser ui [--port 8080] [--host 127.0.0.1]`: a local web app over data/runs. */
import type { Argv } from 'yargs';
import { findRoot } from '@ser/core';

export const ui = (cli: Argv) =>
  cli.command(
    'ui',
    'browse, compare and try recorded runs in a local web app (read-only, over data/runs)',
    (y) =>
      y
        .option('port', { type: 'number', default: 8080, describe: 'port to listen on (0: any free port)' })
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on; anything but loopback shows the runs to the network' }),
    async (a) => {
      const [{ startUi }, { listRuns }] = await Promise.all([import('@ser/ui/server'), import('../runs.ts')]);
      const root = findRoot();
      const { url } = await startUi({ root, listRuns: () => listRuns(root), port: a.port, host: a.host });
      console.log(`ser ui: ${url} (Ctrl-C stops it)`);
    },
  );
