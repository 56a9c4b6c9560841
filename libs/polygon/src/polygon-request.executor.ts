import type { LoggerService } from '@nestjs/common';
import {
  ProviderBadPayloadError,
  ProviderError,
  ProviderNotAuthorizedError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderRequestError,
  ProviderUnavailableError,
} from '@app/provider';
import { AggregatesResponse, MalformedResponseError, describeErrorBody, parseAggregatesBody } from './aggregates-response.parser';
import type { PolygonMetrics, RetryReason } from './polygon.metrics';
import { HttpAnswer, PolygonHttpTransport, TransportFailure } from './polygon-http.transport';
import type { RequestRateLimiter } from './request-rate.limiter';
import { backoffDelayMs, retryAfterMs } from './retry.policy';
import { redactCredentials, sleep } from '@app/core';

export interface RetryOptions {
  maxRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  retryAfterMaxMs: number;
}

/** What a request is for, in log lines and errors. */
export interface RequestLabel {
  symbol: string;
  timeframe: string;
}

export interface ExecutedRequest {
  response: AggregatesResponse;
  /** HTTP attempts it took, the successful one included. */
  attempts: number;
}

/** A failure worth another attempt. */
interface RetryableFailure {
  reason: RetryReason;
  detail: string;
  requestId?: string;
  providerMessage?: string;
  retryAfterMs?: number;
}

/**
 * Sends one aggregates request through the rate limiter and retries what may pass next
 * time: 429 (Retry-After honoured, else backoff, and the limiter slows down), 5xx, 413,
 * 499, timeouts, resets and unreadable bodies, at most `maxRetries` times. 401/403, 404
 * and other 4xx fail at once with a typed error carrying the provider's own words.
 */
export class PolygonRequestExecutor {
  constructor(
    private readonly transport: PolygonHttpTransport,
    private readonly limiter: RequestRateLimiter,
    private readonly metrics: PolygonMetrics,
    private readonly retry: RetryOptions,
    private readonly logger: LoggerService,
    /** Words that must never reach a log line or an error (the API key). */
    private readonly secret: string,
  ) {}

  async getAggregates(pathAndQuery: string, label: RequestLabel): Promise<ExecutedRequest> {
    for (let attempt = 1; ; attempt++) {
      const answer = await this.scheduled(pathAndQuery, attempt, label);
      const outcome = this.interpret(answer, label);
      if (!('reason' in outcome)) {
        await this.limiter.recordSuccess();
        this.metrics.setSpacing(this.limiter.spacingMs);
        return { response: outcome, attempts: attempt };
      }
      if (attempt > this.retry.maxRetries) throw this.fail(this.exhausted(outcome, attempt, label), label);
      this.metrics.recordRetry(outcome.reason);
      if (outcome.reason === 'rate_limited') {
        await this.limiter.slowDown();
        this.metrics.setSpacing(this.limiter.spacingMs);
      }
      const delay = outcome.retryAfterMs ?? backoffDelayMs(attempt, this.retry.backoffBaseMs, this.retry.backoffMaxMs);
      this.logger.warn(
        `${label.symbol} ${label.timeframe}: ${this.redact(outcome.detail)}${outcome.requestId ? ` (request id ${outcome.requestId})` : ''}; ` +
          `retry ${attempt} of ${this.retry.maxRetries} in ${delay} ms` +
          (outcome.reason === 'rate_limited' ? `; request spacing now ${this.limiter.spacingMs} ms` : ''),
      );
      await sleep(delay);
    }
  }

  /** Waits for the rate limiter; a limiter that cannot answer (Redis gone) fails the request, typed. */
  private async scheduled(pathAndQuery: string, attempt: number, label: RequestLabel): Promise<HttpAnswer | TransportFailure> {
    try {
      return await this.limiter.schedule(() => this.send(pathAndQuery));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw this.fail(new ProviderUnavailableError(attempt, `rate limiter unavailable: ${this.redact(redactCredentials(reason))}`), label);
    }
  }

  private async send(pathAndQuery: string): Promise<HttpAnswer | TransportFailure> {
    try {
      return await this.transport.get(pathAndQuery);
    } catch (error) {
      if (error instanceof TransportFailure) return error;
      throw error;
    }
  }

  /** A parsed answer, a retryable failure, or a thrown typed error. */
  private interpret(answer: HttpAnswer | TransportFailure, label: RequestLabel): AggregatesResponse | RetryableFailure {
    if (answer instanceof TransportFailure) {
      this.metrics.recordRequest(answer.kind, answer.durationMs);
      return { reason: answer.kind, detail: answer.message };
    }
    const { status } = answer;
    if (status === 200) {
      try {
        const response = parseAggregatesBody(answer.body);
        this.metrics.recordRequest('ok', answer.durationMs);
        return response;
      } catch (error) {
        if (!(error instanceof MalformedResponseError)) throw error;
        this.metrics.recordRequest('unreadable_body', answer.durationMs);
        return { reason: 'unreadable_body', detail: error.message, requestId: error.requestId };
      }
    }
    const { message, requestId } = describeErrorBody(answer.body);
    const providerMessage = this.redact(message);
    if (status === 429) {
      this.metrics.recordRequest('rate_limited', answer.durationMs);
      return {
        reason: 'rate_limited',
        detail: `429 ${providerMessage}`,
        requestId,
        providerMessage,
        retryAfterMs: retryAfterMs(answer.retryAfter, this.retry.retryAfterMaxMs),
      };
    }
    if (status >= 500 || status === 413 || status === 499 || status === 408) {
      this.metrics.recordRequest(status === 408 ? 'timeout' : 'server_error', answer.durationMs);
      return { reason: status === 408 ? 'timeout' : 'server_error', detail: `${status} ${providerMessage}`, requestId };
    }
    if (status === 401 || status === 403) {
      this.metrics.recordRequest('not_authorized', answer.durationMs);
      throw this.fail(new ProviderNotAuthorizedError(status, providerMessage, requestId), label);
    }
    if (status === 404) {
      this.metrics.recordRequest('not_found', answer.durationMs);
      throw this.fail(new ProviderNotFoundError(`${label.timeframe} aggregates of ${label.symbol}`, providerMessage, requestId), label);
    }
    this.metrics.recordRequest('bad_request', answer.durationMs);
    throw this.fail(new ProviderRequestError(status, providerMessage, requestId), label);
  }

  private exhausted(failure: RetryableFailure, attempts: number, label: RequestLabel): ProviderError {
    switch (failure.reason) {
      case 'rate_limited':
        return new ProviderRateLimitedError(attempts, failure.providerMessage, failure.requestId);
      case 'unreadable_body':
        return new ProviderBadPayloadError(label.symbol, label.timeframe, failure.requestId, [
          `${this.redact(failure.detail)} on all ${attempts} attempts`,
        ]);
      default:
        return new ProviderUnavailableError(attempts, this.redact(failure.detail), failure.requestId);
    }
  }

  private fail<E extends ProviderError>(error: E, label: RequestLabel): E {
    this.metrics.recordFailure(error.kind);
    this.logger.error(`${label.symbol} ${label.timeframe}: ${error.message}`);
    return error;
  }

  private redact(text: string): string {
    return this.secret ? text.split(this.secret).join('***') : text;
  }
}
