import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Params } from 'nestjs-pino';
import { AppConfigService } from '@app/config';

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Structured JSON logs; every line of a request carries its id (also sent back as X-Request-Id). */
export function loggerParams(config: AppConfigService): Params {
  return {
    pinoHttp: {
      level: config.get('LOG_LEVEL'),
      genReqId(request: IncomingMessage, response: ServerResponse): string {
        const incoming = request.headers['x-request-id'];
        const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
        response.setHeader('X-Request-Id', id);
        return id;
      },
      // Headers can carry API keys; log only what identifies the request.
      serializers: {
        req: (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: request.url }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
      redact: { paths: ['req.headers', 'headers.authorization', 'headers["x-api-key"]'], remove: true },
      autoLogging: { ignore: (request: IncomingMessage) => request.url === '/health' },
    },
  };
}
