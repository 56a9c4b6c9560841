/**
 * Typed failures of a market-data provider. Messages carry what an operator needs (status,
 * the provider's own words, its request id) and never a URL with credentials, a header or
 * a raw HTTP-library error: those hold the API key.
 */
export abstract class ProviderError extends Error {
  abstract readonly kind: string;

  protected constructor(
    message: string,
    /** The provider's request id, when it answered at all. */
    readonly requestId?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No API key configured: ingestion is off. */
export class ProviderNotConfiguredError extends ProviderError {
  readonly kind = 'not-configured';

  constructor() {
    super('the market-data provider is not configured: set POLYGON_API_KEY to turn ingestion on');
  }
}

/** 429 on every attempt. */
export class ProviderRateLimitedError extends ProviderError {
  readonly kind = 'rate-limited';

  constructor(
    readonly attempts: number,
    readonly providerMessage?: string,
    requestId?: string,
  ) {
    super(`provider rate limit still exceeded after ${attempts} attempt(s)${providerMessage ? `: ${providerMessage}` : ''}`, requestId);
  }
}

/** 401/403: the key is wrong or the plan does not cover the data. Not retried. */
export class ProviderNotAuthorizedError extends ProviderError {
  readonly kind = 'not-authorized';

  constructor(
    readonly status: number,
    /** The provider's explanation, e.g. "You are not entitled to this data. Please upgrade your plan ...". */
    readonly providerMessage: string,
    requestId?: string,
  ) {
    super(`provider refused the request (${status}): ${providerMessage}`, requestId);
  }
}

/** 404 from the provider. */
export class ProviderNotFoundError extends ProviderError {
  readonly kind = 'not-found';

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
