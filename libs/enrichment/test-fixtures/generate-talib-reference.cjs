// Writes talib-spy-1m.json: TA-Lib's own values over the first 500 SPY one-minute bars of the
// polygon fixture, for talib-reference.spec.ts. TA-Lib is not a dependency of this project; to
// regenerate, from a scratch directory: npm install talib@1.1.6 (it builds the TA-Lib 0.6.0 C
// sources it bundles), then node <repo>/libs/enrichment/test-fixtures/generate-talib-reference.cjs <repo>
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
// Resolved from the working directory, where talib is installed, not from the repository.
const fromHere = (name) => require(require.resolve(name, { paths: [process.cwd()] }));
const talib = fromHere('talib');

const repo = process.argv[2];
const BARS = 500;
const lines = readFileSync(join(repo, 'libs/polygon/test-fixtures/nt-spy-minute-2011-01.csv'), 'utf8').trim().split('\n').slice(0, BARS);
const bars = lines.map((line) => {
  const [stamp, , high, low, close, volume] = line.trim().split(';');
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})$/.exec(stamp).map(Number);
  return [Date.UTC(y, mo - 1, d, h, mi, s) - 60_000, Number(high), Number(low), Number(close), Number(volume)];
});
const high = bars.map((bar) => bar[1]);
const low = bars.map((bar) => bar[2]);
const close = bars.map((bar) => bar[3]);
const volume = bars.map((bar) => bar[4]);

function run(name, inputs, params, outputs) {
  const result = talib.execute({ name, startIdx: 0, endIdx: BARS - 1, ...inputs, ...params });
  if (result.error) throw new Error(`${name}: ${result.error}`);
  return Object.fromEntries(
    Object.entries(outputs).map(([ours, theirs]) => [ours, [...Array(result.begIndex).fill(null), ...result.result[theirs]]]),
  );
}

const reference = {
  source: `TA-Lib 0.6.0 (C) as bundled and built by the npm package talib@${fromHere("talib/package.json").version}; default compatibility, unstable periods 0`,
  bars,
  values: {
    'sma:20': run('SMA', { inReal: close }, { optInTimePeriod: 20 }, { value: 'outReal' }),
    'ema:20': run('EMA', { inReal: close }, { optInTimePeriod: 20 }, { value: 'outReal' }),
    'wma:20': run('WMA', { inReal: close }, { optInTimePeriod: 20 }, { value: 'outReal' }),
    'rsi:14': run('RSI', { inReal: close }, { optInTimePeriod: 14 }, { value: 'outReal' }),
    'macd:12:26:9': run(
      'MACD',
      { inReal: close },
      { optInFastPeriod: 12, optInSlowPeriod: 26, optInSignalPeriod: 9 },
      { macd: 'outMACD', signal: 'outMACDSignal', histogram: 'outMACDHist' },
    ),
    'bbands:20:2': run(
      'BBANDS',
      { inReal: close },
      { optInTimePeriod: 20, optInNbDevUp: 2, optInNbDevDn: 2, optInMAType: 0 },
      { upper: 'outRealUpperBand', middle: 'outRealMiddleBand', lower: 'outRealLowerBand' },
    ),
    'atr:14': run('ATR', { high, low, close }, { optInTimePeriod: 14 }, { value: 'outReal' }),
    'stoch:14:3:3': run(
      'STOCH',
      { high, low, close },
      { optInFastK_Period: 14, optInSlowK_Period: 3, optInSlowK_MAType: 0, optInSlowD_Period: 3, optInSlowD_MAType: 0 },
      { k: 'outSlowK', d: 'outSlowD' },
    ),
    obv: run('OBV', { inReal: close, volume }, {}, { value: 'outReal' }),
  },
};
writeFileSync(join(repo, 'libs/enrichment/test-fixtures/talib-spy-1m.json'), JSON.stringify(reference) + '\n');
