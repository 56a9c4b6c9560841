import 'reflect-metadata';
import { ConfigValidationError } from '@app/config';
import { messageOf } from '@app/core';
import { EXIT_USAGE, backfillCommand } from './backfill.command';

/** The command-line jobs, built into dist/ beside the API: `node dist/apps/cli/src/main.js backfill AAPL ...`. */
const COMMANDS: Record<string, (argv: readonly string[]) => Promise<number>> = {
  backfill: backfillCommand,
};

const USAGE = `Usage: market-data COMMAND [ARGS...]

Commands:
  backfill   fetch bars of symbols into the database (backfill --help for its options)`;

async function main([command, ...argv]: string[]): Promise<number> {
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command === undefined ? EXIT_USAGE : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    console.error(`unknown command "${command}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  return run(argv);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigValidationError) console.error(error.message);
    else console.error(`failed: ${messageOf(error)}`);
    process.exit(1);
  },
);
