import type { INestApplication } from '@nestjs/common';
import type { Application } from 'express';
import type { TrustProxy } from '@app/config';

/**
 * TRUST_PROXY as Express's `trust proxy`: Express then derives req.ip (and req.ips, req.protocol)
 * from X-Forwarded-For only through the proxies it names. The rate limit and the request logs read
 * req.ip, so this one call decides the client address everywhere; nothing else reads the header.
 */
export function applyTrustProxy(app: INestApplication, trustProxy: TrustProxy): void {
  const http = app.getHttpAdapter();
  if (http.getType() !== 'express') throw new Error(`TRUST_PROXY needs the Express adapter, not ${http.getType()}`);
  // Express compiles the setting here: an address it cannot parse fails startup, not a request.
  (http.getInstance() as Application).set('trust proxy', typeof trustProxy === 'object' ? [...trustProxy] : trustProxy);
}
