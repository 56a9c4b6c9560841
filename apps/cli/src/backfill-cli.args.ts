import { TICKER_PATTERN, normaliseSymbol, parseInstant } from '@app/http';

export const BACKFILL_USAGE = `Usage: backfill SYMBOL [SYMBOL...] [--timeframe 1m[,5m...]] [--from DATE] [--to DATE] [--force]
  from the source tree:         npm run backfill -- AAPL --timeframe 1m --from 2024-01-01
  compiled (container image):   node dist/apps/cli/src/main.js backfill AAPL --timeframe 1m --from 2024-01-01

Fetches the bars of each symbol and timeframe in [from, to) from the provider into the
database, resuming where an earlier run (or the API's scheduler) stopped: ranges already
fetched are not fetched again, unless --force.

  SYMBOL             AAPL, BRK.B, X:BTCUSD, C:EURUSD, I:SPX (case-insensitive)
  --timeframe, -t    one or more timeframes, comma-separated or repeated
                     (default: the symbol's tracked timeframes, else DEFAULT_TIMEFRAMES)
  --from             ISO-8601 date/date-time or Unix ms (default: the start of BACKFILL_WINDOWS)
  --to               ISO-8601 date/date-time or Unix ms, exclusive (default: now)
  --force            read the whole range again, even what is already fetched, and
                     overwrite the stored bars (repairs after a provider correction)
  --help, -h         this text

Settings come from the environment (.env) like the API's: POLYGON_API_KEY, DATABASE_URL...
Without DATABASE_URL it starts the embedded database under DATA_DIR itself: stop the API
first, or ask the running API with POST /api/v1/symbol/{symbol}/backfill.`;

export interface BackfillCliArgs {
  symbols: string[];
  timeframes?: string[];
  from?: number;
  to?: number;
  force?: boolean;
}

export type ParsedArgs = { help: true } | { help: false; args: BackfillCliArgs };

export class CliUsageError extends Error {}

/** Parses argv (without node and the script). Throws CliUsageError naming the problem. */
export function parseBackfillArgs(argv: readonly string[]): ParsedArgs {
  const symbols: string[] = [];
  const timeframes: string[] = [];
  let from: number | undefined;
  let to: number | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = splitFlag(argv[i]);
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || (inline === undefined && next.startsWith('-'))) throw new CliUsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return { help: true };
      case '--timeframe':
      case '--timeframes':
      case '-t':
        timeframes.push(
          ...value()
            .split(',')
            .map((tf) => tf.trim())
            .filter(Boolean),
        );
        break;
      case '--from':
        from = instant(value(), '--from');
        break;
      case '--to':
        to = instant(value(), '--to');
        break;
      case '--force':
        if (inline !== undefined) throw new CliUsageError('--force takes no value');
        force = true;
        break;
      default: {
        if (flag.startsWith('-')) throw new CliUsageError(`unknown option ${flag}`);
        const symbol = normaliseSymbol(flag) as string;
        if (!TICKER_PATTERN.test(symbol))
          throw new CliUsageError(`"${flag}" is not a ticker like AAPL, BRK.B, X:BTCUSD, C:EURUSD or I:SPX`);
        if (!symbols.includes(symbol)) symbols.push(symbol);
      }
    }
  }
  if (!symbols.length) throw new CliUsageError('name at least one symbol');
  if (from !== undefined && to !== undefined && from >= to) throw new CliUsageError('--from must be before --to');
  return {
    help: false,
    args: {
      symbols,
      ...(timeframes.length ? { timeframes } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(force ? { force } : {}),
    },
  };
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
  return eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function instant(text: string, flag: string): number {
  const ms = parseInstant(text);
  if (ms === undefined) throw new CliUsageError(`${flag} must be an ISO-8601 date or date-time or Unix milliseconds, got "${text}"`);
  return ms;
}
