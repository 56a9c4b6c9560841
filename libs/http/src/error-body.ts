/** The one error shape every 4xx/5xx answer uses. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Field-level reasons for a 400. */
  details?: FieldProblem[];
  /** Matches the X-Request-Id header and the log lines of this request. */
  requestId?: string;
}

export interface FieldProblem {
  field: string;
  reason: string;
}
