import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';
import { pinoHttp, Options } from 'pino-http';
import { loadConfig } from '@app/config';
import { LogOutput, logParams, resolveLogFormat } from './logging';

describe('resolveLogFormat', () => {
  it.each([
    ['auto', true, 'pretty'],
    ['auto', false, 'json'],
    ['pretty', true, 'pretty'],
    ['pretty', false, 'pretty'],
    ['json', true, 'json'],
    ['json', false, 'json'],
  ] as const)('LOG_FORMAT=%s with stdout a terminal: %s -> %s', (setting, isTTY, expected) => {
    expect(resolveLogFormat(setting, isTTY)).toBe(expected);
  });
});

/** Collects what the logger writes; `until` resolves once the text contains a marker. */
class Sink extends Writable {
  text = '';
  private waiters: { marker: string; done: () => void }[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    this.waiters = this.waiters.filter((w) => (this.text.includes(w.marker) ? (w.done(), false) : true));
    callback();
  }

  until(marker: string): Promise<void> {
    return this.text.includes(marker) ? Promise.resolve() : new Promise((done) => this.waiters.push({ marker, done }));
  }
}

const SECRET_VALUES = ['sk-bearer-secret', 'key-header-secret', 'cookie-secret'];
const SECRET_HEADERS = {
  authorization: `Bearer ${SECRET_VALUES[0]}`,
  'x-api-key': SECRET_VALUES[1],
  cookie: `session=${SECRET_VALUES[2]}`,
};

/** A real pino-http, built from the app's logging params, in front of a tiny server. */
async function logOneRequest(env: Record<string, string>, output: LogOutput & { destination: Sink }): Promise<string> {
  const { pinoHttp: params } = logParams(loadConfig(env), output);
  const [options, stream] = params as [Options, DestinationStream];
  const middleware = pinoHttp(options, stream);
  const server: Server = createServer((request, response) => {
    Object.assign(request, { ip: '203.0.113.7' }); // what Express's req.ip gives: the client, as TRUST_PROXY sees it
    middleware(request, response);
    request.log.info({ context: 'Probe' }, 'inside the request');
    response.end('ok');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/symbols?x=1`, {
      headers: { ...SECRET_HEADERS, 'x-request-id': 'trace-42' },
    });
    expect(await response.text()).toBe('ok');
    await output.destination.until('request completed');
  } finally {
    await new Promise((done) => server.close(done));
  }
  // Colours depend on the terminal the tests run in; compare the text without them.
  // eslint-disable-next-line no-control-regex
  return output.destination.text.replace(/\u001b\[[0-9;]*m/g, '');
}

describe('log output', () => {
  it('pretty: one line per entry, with context, request line, status, client and request id, and no header values', async () => {
    const text = await logOneRequest({ LOG_FORMAT: 'auto' }, { isTTY: true, destination: new Sink() });
    const lines = text.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO.*\[Probe\] inside the request req=trace-42$/);
    expect(lines[1]).toMatch(/INFO.*request completed GET \/api\/v1\/symbols\?x=1 200 \d+ ms from 203\.0\.113\.7 req=trace-42$/);
    expect(text).not.toMatch(/"/); // nothing left over to print as an object
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
  });

  it('json: one parseable object per line, with the request id, the client and no header values', async () => {
    const text = await logOneRequest({ LOG_FORMAT: 'auto' }, { isTTY: false, destination: new Sink() });
    const entries = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { msg: string; req: { id: string; method: string; url: string; ip: string }; pid: number });
    expect(entries.map((e) => e.msg)).toEqual(['inside the request', 'request completed']);
    expect(entries[1].req).toEqual({ id: 'trace-42', method: 'GET', url: '/api/v1/symbols?x=1', ip: '203.0.113.7' });
    expect(entries[0].pid).toBe(process.pid);
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
  });
});
