import type { Request, Response } from 'express';
import { assignRequestId } from '@app/http';
import { fillSlots } from '../aggregates/answer-template';
import { DATA_SOURCE_HEADER, type DataSource } from '../read-through/data-source';
import { publicBaseUrl } from './public-base-url';

export interface PolygonAnswer {
  template: Buffer;
  dataSource: DataSource;
  /** X-Cache, when the answer went through the answer cache. */
  cache?: string;
}

/** Sends an answer template: request_id (the one in X-Request-Id and the logs) and the next_url base filled in. */
export function sendPolygonAnswer(request: Request, response: Response, answer: PolygonAnswer, configuredBase: string | undefined): void {
  const chunks = fillSlots(answer.template, requestIdOf(request, response), () => publicBaseUrl(configuredBase, request));
  response.status(200);
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', String(chunks.reduce((sum, chunk) => sum + chunk.length, 0)));
  response.setHeader(DATA_SOURCE_HEADER, answer.dataSource);
  if (answer.cache) response.setHeader('X-Cache', answer.cache);
  for (const chunk of chunks.slice(0, -1)) response.write(chunk);
  response.end(chunks[chunks.length - 1]);
}

/** The request's id as the request logger set it (and X-Request-Id says), else one assigned now. */
export function requestIdOf(request: Request, response: Response): string {
  const id: unknown = request.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : assignRequestId(request, response);
}
