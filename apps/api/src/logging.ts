import type { IncomingMessage } from 'node:http';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import PinoPretty from 'pino-pretty';
import { Params } from 'nestjs-pino';
import { AppConfig, AppConfigService, LogFormat } from '@app/config';
import { assignRequestId } from '@app/http';

export type LogSettings = Pick<AppConfig, 'LOG_LEVEL' | 'LOG_FORMAT'>;

/** Where the lines go: stdout unless a stream is given (tests), and whether that is a terminal. */
export interface LogOutput {
  isTTY: boolean;
  destination?: NodeJS.WritableStream;
}

/** LOG_FORMAT=auto: pretty lines for a person at a terminal, JSON for whatever collects the output. */
export function resolveLogFormat(setting: LogFormat, isTTY: boolean): 'pretty' | 'json' {
  switch (setting) {
    case 'pretty':
    case 'json':
      return setting;
    case 'auto':
      return isTTY ? 'pretty' : 'json';
  }
}

/** What pino-http hands the req serializer: its own summary, and the request itself as `raw`. */
interface SerializedRequest {
  id: string;
  method: string;
  url: string;
  raw: { ip?: string };
}

/** pino logs as JSON or pino-pretty lines; every line of a request carries its id (also sent back as X-Request-Id). */
export function loggerParams(config: AppConfigService, output?: LogOutput): Params {
  return logParams({ LOG_LEVEL: config.get('LOG_LEVEL'), LOG_FORMAT: config.get('LOG_FORMAT') }, output);
}

export function logParams(settings: LogSettings, output: LogOutput = { isTTY: process.stdout.isTTY === true }): Params {
  const options: Options = {
    level: settings.LOG_LEVEL,
    genReqId: assignRequestId,
    // Headers and the apiKey query parameter (the Polygon-compatible routes) can carry API keys; log only what
    // identifies the request, the key masked. The client is Express's req.ip
    // (TRUST_PROXY decides whether X-Forwarded-For counts), not pino's remoteAddress, which is always the socket's.
    serializers: {
      req: (request: SerializedRequest) => ({
        id: request.id,
        method: request.method,
        url: request.url.replace(/([?&]apiKey=)[^&#]*/gi, '$1[redacted]'),
        ip: request.raw.ip,
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
    redact: { paths: ['req.headers', 'headers.authorization', 'headers["x-api-key"]'], remove: true },
    autoLogging: { ignore: (request: IncomingMessage) => request.url === '/health' },
  };
  const stream = resolveLogFormat(settings.LOG_FORMAT, output.isTTY) === 'pretty' ? prettyStream(output.destination) : output.destination;
  return { pinoHttp: stream ? [options, stream] : options };
}

const prettyMessage: PinoPretty.MessageFormatFunc = (log, messageKey, _level, { colors }) => {
  const parts: string[] = [];
  if (typeof log.context === 'string') parts.push(colors.yellow(`[${log.context}]`));
  parts.push(asText(log[messageKey]));
  const req = (log.req ?? {}) as { id?: unknown; method?: unknown; url?: unknown; ip?: unknown };
  const res = log.res as { statusCode?: unknown } | undefined;
  if (res !== undefined) {
    parts.push(`${asText(req.method)} ${asText(req.url)}`, asText(res.statusCode));
    if (typeof log.responseTime === 'number') parts.push(`${log.responseTime} ms`);
    if (req.ip !== undefined) parts.push(`from ${asText(req.ip)}`);
  }
  if (req.id !== undefined) parts.push(colors.gray(`req=${asText(req.id)}`));
  return parts.join(' ');
};

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/**
 * One colourised line per entry: time, level, [context] message, then for a finished request
 * its method, URL, status, duration and client address, and the request id. Fields already shown, pid and
 * hostname are left out; anything else follows on the same line. Error stacks stay multi-line.
 * Redaction happens in pino before a line gets here, so headers never reach it.
 */
export function prettyStream(destination?: NodeJS.WritableStream): DestinationStream {
  return PinoPretty({
    destination: destination ?? 1,
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context,req,res,responseTime',
    messageFormat: prettyMessage,
  });
}
