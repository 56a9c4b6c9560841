/**
 * What a caller does with a provider error; the error says it, so nobody tests classes.
 * - `permanent`: this request cannot succeed as asked (the provider has no such symbol, or
 *   rejects the request itself): asking again cannot help, stop this job for good.
 * - `halt-all`: the provider refuses us, whatever we ask (a wrong key, a plan without the
 *   data): stop every job until someone changes the key or asks again by hand.
 * - `retry`: trouble that may pass (outages, rate limits and unreadable answers that
 *   outlasted the client's own retries, pages that failed validation): try again later
 *   with backoff, a bounded number of times.
 * - `pause`: not this request's fault and not a failure: wait, then try again without
 *   counting an attempt.
 */
export const PROVIDER_ERROR_DISPOSITIONS = ['permanent', 'halt-all', 'retry', 'pause'] as const;
export type ProviderErrorDisposition = (typeof PROVIDER_ERROR_DISPOSITIONS)[number];

/**
 * Typed failures of a market-data provider. Messages carry what an operator needs (status,
 * the provider's own words, its request id) and never a URL with credentials, a header or
 * a raw HTTP-library error: those hold the API key.
 */
export abstract class ProviderError extends Error {
  abstract readonly kind: string;
  /** What the caller does next (see ProviderErrorDisposition). */
  abstract readonly disposition: ProviderErrorDisposition;

  protected constructor(
    message: string,
    /** The provider's request id, when it answered at all. */
    readonly requestId?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No credentials configured: ingestion is off. */
export class ProviderNotConfiguredError extends ProviderError {
  readonly kind = 'not-configured';
  readonly disposition = 'retry';

  /** `howToConfigure` names the implementation's setting, e.g. "set POLYGON_API_KEY to turn ingestion on". */
  constructor(howToConfigure = 'configure its credentials to turn ingestion on') {
    super(`the market-data provider is not configured: ${howToConfigure}`);
  }
}

/** 429 on every attempt (the client already waited as the provider asked). */
export class ProviderRateLimitedError extends ProviderError {
  readonly kind = 'rate-limited';
  readonly disposition = 'retry';

  constructor(
    readonly attempts: number,
    readonly providerMessage?: string,
    requestId?: string,
  ) {
    super(`provider rate limit still exceeded after ${attempts} attempt(s)${providerMessage ? `: ${providerMessage}` : ''}`, requestId);
  }
}

/** 401/403: the key is wrong or the plan does not cover the data: refused for every symbol. Not retried. */
export class ProviderNotAuthorizedError extends ProviderError {
  readonly kind = 'not-authorized';
  readonly disposition = 'halt-all';

  constructor(
    readonly status: number,
    /** The provider's explanation, e.g. "You are not entitled to this data. Please upgrade your plan ...". */
    readonly providerMessage: string,
    requestId?: string,
  ) {
    super(`provider refused the request (${status}): ${providerMessage}`, requestId);
  }
}

/** 404 from the provider: it does not know the symbol. */
export class ProviderNotFoundError extends ProviderError {
  readonly kind = 'not-found';
  readonly disposition = 'permanent';

  constructor(
    readonly resource: string,
    readonly providerMessage: string,
    requestId?: string,
  ) {
    super(`provider has no ${resource}: ${providerMessage}`, requestId);
  }
}

/** Another 4xx: our request was wrong; retrying cannot help. */
export class ProviderRequestError extends ProviderError {
  readonly kind = 'bad-request';
  readonly disposition = 'permanent';

  constructor(
    readonly status: number,
    readonly providerMessage: string,
    requestId?: string,
  ) {
    super(`provider rejected the request (${status}): ${providerMessage}`, requestId);
  }
}

/** 5xx, timeouts or connection resets on every attempt. */
export class ProviderUnavailableError extends ProviderError {
  readonly kind = 'unavailable';
  readonly disposition = 'retry';

  constructor(
    readonly attempts: number,
    readonly lastFailure: string,
    requestId?: string,
  ) {
    super(`provider unavailable after ${attempts} attempt(s); last failure: ${lastFailure}`, requestId);
  }
}

/**
 * A page that cannot be stored: unreadable after every retry, or holding a bar that fails
 * validation. The page is rejected whole; nothing of it is written.
 */
export class ProviderBadPayloadError extends ProviderError {
  readonly kind = 'bad-payload';
  readonly disposition = 'retry';

  constructor(
    readonly symbol: string,
    readonly timeframe: string,
    requestId: string | undefined,
    readonly problems: readonly string[],
  ) {
    super(
      `rejected a page of ${symbol} ${timeframe} (request id ${requestId ?? 'unknown'}): ${problems.slice(0, 5).join('; ')}` +
        (problems.length > 5 ? `; and ${problems.length - 5} more` : ''),
      requestId,
    );
  }
}
