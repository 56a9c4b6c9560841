import type { ExecutionContext } from '@nestjs/common';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * An HTTP request that asks for a change under /api/ (POST, PUT, PATCH, DELETE): tracking symbols,
 * purges, backfill triggers, and any write route added later. By method, as the API-key guard does.
 */
export function isClientWrite(context: ExecutionContext): boolean {
  if (context.getType() !== 'http') return false;
  const request = context.switchToHttp().getRequest<{ method: string; url: string; originalUrl?: string }>();
  return !READ_METHODS.has(request.method.toUpperCase()) && (request.originalUrl ?? request.url).startsWith('/api/');
}
