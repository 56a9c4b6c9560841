import axios, { AxiosInstance } from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { performance } from 'node:perf_hooks';

export interface HttpAnswer {
  status: number;
  body: string;
  retryAfter?: string;
  durationMs: number;
}

export type TransportFailureKind = 'timeout' | 'connection_reset' | 'network_error';

/**
 * A request that got no HTTP answer. Carries only a kind and an error code: the axios
 * error it replaces holds the request config, headers included, so it never leaves here.
 */
export class TransportFailure extends Error {
  constructor(
    readonly kind: TransportFailureKind,
    readonly code: string,
    readonly durationMs: number,
  ) {
    super(`${kind.replace('_', ' ')} (${code})`);
  }
}

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_CANCELED']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_BAD_RESPONSE', 'UND_ERR_SOCKET']);
const MAX_BODY_BYTES = 256 * 1024 * 1024;

/**
 * One HTTP GET to the provider: Bearer auth, a hard deadline for the whole answer, the
 * body as text (the caller parses it, so a truncated or garbage body is seen as such),
 * every status returned rather than thrown, no redirects (they could carry the key away).
 */
export class PolygonHttpTransport {
  private readonly http: AxiosInstance;
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true });

  constructor(private readonly options: TransportOptions) {
    this.http = axios.create({
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      maxContentLength: MAX_BODY_BYTES,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      headers: { Accept: 'application/json', 'User-Agent': 'market-data-api' },
    });
  }

  /** `pathAndQuery` starts with "/v2/"; the key is added here and nowhere else. */
  async get(pathAndQuery: string): Promise<HttpAnswer> {
    const started = performance.now();
    try {
      const response = await this.http.get<string>(pathAndQuery, {
        headers: { Authorization: `Bearer ${this.options.apiKey}` },
        // axios's timeout covers an idle socket; this deadline also covers a trickling answer.
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const retryAfter: unknown = response.headers['retry-after'];
      return {
        status: response.status,
        body: typeof response.data === 'string' ? response.data : '',
        retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
        durationMs: performance.now() - started,
      };
    } catch (error) {
      throw toTransportFailure(error, performance.now() - started);
    }
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function toTransportFailure(error: unknown, durationMs: number): TransportFailure {
  const rawCode = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const code = typeof rawCode === 'string' && /^[A-Z_]{2,40}$/.test(rawCode) ? rawCode : 'UNKNOWN';
  if (TIMEOUT_CODES.has(code)) return new TransportFailure('timeout', code, durationMs);
  if (RESET_CODES.has(code)) return new TransportFailure('connection_reset', code, durationMs);
  return new TransportFailure('network_error', code, durationMs);
}
