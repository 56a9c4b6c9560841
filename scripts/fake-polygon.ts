/**
 * A local stand-in for Polygon.io's aggregates API (real HTTP, the documented contract,
 * deterministic bars for any ticker plus real SPY minutes for January 2011).
 *
 *   npm run fake-polygon -- [--port 8799] [--key demo-key] [--rate 5] [--faults 0.2] [--fault-kinds rate-limit,hang] [--max-limit 10000] [--seed 1]
 *
 * --rate        the provider's own limit in requests per minute (default: none)
 * --faults      share of requests that get a fault (default 0)
 * --fault-kinds which faults (default rate-limit,server-error,hang,garbage: 429, 500, a timeout, an HTML body)
 * --max-limit   largest page in base aggregates (default 50000, the provider's)
 * --port 0      picks a free port; the first line printed names it
 */
import { FakePolygonServer, FAULT_KINDS, type FaultKind } from '@app/polygon/testing';

interface Options {
  port: number;
  key: string;
  rate?: number;
  faults: number;
  faultKinds: FaultKind[];
  maxLimit?: number;
  seed: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    port: 8799,
    key: 'demo-key',
    faults: 0,
    faultKinds: ['rate-limit', 'server-error', 'hang', 'garbage'],
    seed: 1,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${name} needs a value`);
    if (name === '--port') options.port = Number(value);
    else if (name === '--key') options.key = value;
    else if (name === '--rate') options.rate = Number(value);
    else if (name === '--faults') options.faults = Number(value);
    else if (name === '--fault-kinds') options.faultKinds = value.split(',').map(faultKind);
    else if (name === '--max-limit') options.maxLimit = Number(value);
    else if (name === '--seed') options.seed = Number(value);
    else throw new Error(`unknown option ${name}; use --port, --key, --rate, --faults, --fault-kinds, --max-limit, --seed`);
  }
  return options;
}

function faultKind(name: string): FaultKind {
  const kind = FAULT_KINDS.find((k) => k === name);
  if (!kind) throw new Error(`unknown fault "${name}"; known: ${FAULT_KINDS.join(', ')}`);
  return kind;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const fake = await FakePolygonServer.start({
    apiKey: options.key,
    port: options.port,
    rateLimit: options.rate ? { requests: options.rate } : undefined,
    maxLimit: options.maxLimit,
  });
  if (options.faults > 0) fake.faults.randomly({ rate: options.faults, kinds: options.faultKinds, seed: options.seed });
  const faults = options.faults > 0 ? `${Math.round(options.faults * 100)}% faults (${options.faultKinds.join(', ')})` : 'no faults';
  console.log(`fake Polygon listening on ${fake.url} (${options.rate ? `${options.rate} requests/min` : 'no rate limit'}, ${faults})`);
  console.log(
    `try:  curl -H 'Authorization: Bearer ${options.key}' '${fake.url}/v2/aggs/ticker/SPY/range/1/minute/2011-01-03/2011-01-03?limit=5'`,
  );
  console.log(`API:  POLYGON_BASE_URL=${fake.url} POLYGON_API_KEY=${options.key} npm start`);
  const stop = (): void => {
    console.log(`stopping after ${fake.requestCount} request(s)`);
    void fake.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
