/**
 * `ser`: the command line, one file per command under commands/. Each command loads what it needs
 * when it runs, so `ser key` (run by Nx for every stage's cache key) and `--help` stay fast.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { bench } from './commands/bench.ts';
import { data } from './commands/data.ts';
import { eda } from './commands/eda.ts';
import { exp } from './commands/exp.ts';
import { features } from './commands/features.ts';
import { key } from './commands/key.ts';
import { plan } from './commands/plan.ts';
import { predict } from './commands/predict.ts';
import { record } from './commands/record.ts';
import { run } from './commands/run.ts';
import { stage } from './commands/stage.ts';
import { ui } from './commands/ui.ts';

const COMMANDS = [run, stage, plan, key, record, data, features, bench, predict, eda, exp, ui];

export function buildCli(argv: string[]) {
  return COMMANDS.reduce((cli, add) => add(cli), yargs(argv).scriptName('ser').strict().demandCommand(1).recommendCommands())
    .fail((msg, err) => {
      console.error(err ? `error: ${err.message}` : `${msg}\n(see ser --help)`);
      if (err && process.env.SER_DEBUG) console.error(err.stack);
      process.exit(1);
    })
    .help();
}

await buildCli(hideBin(process.argv)).parseAsync();
