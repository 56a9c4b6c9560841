import { randomBytes } from 'node:crypto';

/** The provider's error bodies, word for word (contract.md). */
export function newRequestId(): string {
  return randomBytes(16).toString('hex');
}

export function rateLimitedBody(requestId: string): object {
  return {
    status: 'ERROR',
    request_id: requestId,
    error: "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue.",
  };
}

/** 403 says `message`, not `error`. */
export function notAuthorizedBody(requestId: string): object {
  return {
    status: 'NOT_AUTHORIZED',
    request_id: requestId,
    message: 'You are not entitled to this data. Please upgrade your plan at https://massive.com/pricing',
  };
}

export function notFoundBody(requestId: string): object {
  return { status: 'NOT FOUND', request_id: requestId, error: 'resource not found' };
}

export function missingKeyBody(requestId: string): object {
  return { status: 'ERROR', request_id: requestId, error: 'API Key was not provided' };
}

export function badRequestBody(requestId: string, error: string): object {
  return { status: 'ERROR', request_id: requestId, error };
}

export function serverErrorBody(requestId: string): object {
  return { status: 'ERROR', request_id: requestId, error: 'Internal server error, please try again' };
}

export const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

export const GARBAGE_HTML = '<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1><p>Please retry.</p></body></html>';
