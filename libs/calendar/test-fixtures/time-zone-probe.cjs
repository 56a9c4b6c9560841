// Runs the calendar under several machine time zones in one child process (Jest's sandboxed
// process.env cannot switch the real zone) and prints each zone's results as JSON.
// Usage: node time-zone-probe.cjs <libs/calendar/src dir> <zone> [<zone>...]
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

require.extensions['.ts'] = (module, file) => {
  const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, experimentalDecorators: true };
  module._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options }).outputText, file);
};

const [srcDir, ...zones] = process.argv.slice(2);
// Resolve the repo's @app/* aliases the way the build does.
const root = path.resolve(srcDir, '../../..');
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
require('tsconfig-paths').register({ baseUrl: root, paths: compilerOptions.paths });
const results = {};
for (const zone of zones) {
  process.env.TZ = zone;
  for (const key of Object.keys(require.cache)) if (key.endsWith('.ts')) delete require.cache[key];
  const { nyseSession, tradingDays } = require(path.join(srcDir, 'trading-session.ts'));
  const { tradingWindows, expectedBarStarts } = require(path.join(srcDir, 'market-calendar.ts'));
  const { nyDateOf, nyWallTimeToUtc } = require(path.join(srcDir, 'ny-time.ts'));
  results[zone] = {
    localOffsetMinutes: new Date(2024, 0, 1).getTimezoneOffset(),
    calendar: {
      session: nyseSession('2024-03-11'),
      earlyClose: nyseSession('2024-11-29'),
      holiday: nyseSession('2025-01-09'),
      forex: tradingWindows('C:EURUSD', new Date('2024-11-01T00:00:00Z'), new Date('2024-11-05T00:00:00Z')),
      stocks: tradingWindows('AAPL', new Date('2024-03-08T05:00:00Z'), new Date('2024-03-12T04:00:00Z')),
      days: tradingDays(new Date('2024-12-23T00:00:00Z'), new Date('2025-01-03T00:00:00Z')),
      nyDate: nyDateOf(new Date('2024-11-03T04:30:00Z')),
      wall: nyWallTimeToUtc('2024-03-10', 3, 0),
      bars: expectedBarStarts('AAPL', 60000, new Date('2024-03-12T04:00:00Z'), new Date('2024-03-13T04:00:00Z')).length,
    },
  };
}
process.stdout.write(JSON.stringify(results));
