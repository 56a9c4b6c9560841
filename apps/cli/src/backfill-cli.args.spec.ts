import { CliUsageError, parseBackfillArgs } from './backfill-cli.args';
import { ProgressBar, renderBar } from './progress-bar';

describe('backfill CLI arguments', () => {
  it('reads symbols, timeframes (repeated or comma-separated) and dates', () => {
    expect(
      parseBackfillArgs(['aapl', 'X:btcusd', '--timeframe', '1m,5m', '-t', '1d', '--from', '2024-01-01', '--to=1706745600000']),
    ).toEqual({
      help: false,
      args: { symbols: ['AAPL', 'X:BTCUSD'], timeframes: ['1m', '5m', '1d'], from: Date.parse('2024-01-01T00:00:00Z'), to: 1706745600000 },
    });
    expect(parseBackfillArgs(['AAPL'])).toEqual({ help: false, args: { symbols: ['AAPL'] } });
    expect(parseBackfillArgs(['AAPL', '--force', '--from', '2024-03-06'])).toEqual({
      help: false,
      args: { symbols: ['AAPL'], from: Date.parse('2024-03-06T00:00:00Z'), force: true },
    });
    expect(parseBackfillArgs(['--help'])).toEqual({ help: true });
  });

  it('names what is wrong', () => {
    const problem = (argv: string[]) => {
      try {
        parseBackfillArgs(argv);
      } catch (error) {
        if (error instanceof CliUsageError) return error.message;
        throw error;
      }
      throw new Error('expected a usage error');
    };
    expect(problem([])).toBe('name at least one symbol');
    expect(problem(['AA PL'])).toBe('"AA PL" is not a ticker like AAPL, BRK.B, X:BTCUSD, C:EURUSD or I:SPX');
    expect(problem(['AAPL', '--from'])).toBe('--from needs a value');
    expect(problem(['AAPL', '--from', 'yesterday'])).toBe(
      '--from must be an ISO-8601 date or date-time or Unix milliseconds, got "yesterday"',
    );
    expect(problem(['AAPL', '--from', '2024-02-01', '--to', '2024-01-01'])).toBe('--from must be before --to');
    expect(problem(['AAPL', '--since', '2024-01-01'])).toBe('unknown option --since');
    expect(problem(['AAPL', '--force=yes'])).toBe('--force takes no value');
  });
});

describe('progress bar', () => {
  it('renders a bar, a percentage and the detail', () => {
    expect(renderBar(0.5, 'AAPL 1m')).toBe('[############------------]  50.0%  AAPL 1m');
    expect(renderBar(2, 'x')).toBe('[########################] 100.0%  x');
  });

  it('rewrites one line on a terminal and prints plain lines elsewhere', () => {
    const tty = {
      isTTY: true,
      text: '',
      write(t: string) {
        this.text += t;
      },
    };
    let clock = 0;
    const bar = new ProgressBar(tty, () => clock);
    bar.update(0.1, 'a');
    bar.update(0.2, 'b'); // within the redraw interval: skipped
    clock = 500;
    bar.update(1, 'c');
    bar.finish();
    expect(tty.text).toBe(`\r\x1b[2K${renderBar(0.1, 'a')}\r\x1b[2K${renderBar(1, 'c')}\n`);

    const file = {
      text: '',
      write(t: string) {
        this.text += t;
      },
    };
    const plain = new ProgressBar(file);
    plain.update(0.25, 'a');
    plain.update(0.5, 'b');
    plain.finish();
    expect(file.text).toBe(`${renderBar(0.25, 'a')}\n${renderBar(0.5, 'b')}\n`);
  });
});
