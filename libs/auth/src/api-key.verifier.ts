import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfigService } from '@app/config';

/**
 * Holds only SHA-256 digests of the configured keys. A presented key is hashed and
 * compared with every digest in constant time, so neither its length nor how much of
 * it matches shows in the response time.
 */
@Injectable()
export class ApiKeyVerifier {
  private readonly digests: Buffer[];

  constructor(config: AppConfigService) {
    const keys = (config.get('API_KEYS') ?? '').split(',').map((key) => key.trim());
    this.digests = [...new Set(keys.filter((key) => key !== ''))].map(sha256);
  }

  /** API_KEYS is set: write routes (and reads, if configured) need a key. */
  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /** The id of the client holding `presented`, or undefined when it is not a configured key. */
  clientIdOf(presented: string): string | undefined {
    const digest = sha256(presented);
    let matched = false;
    for (const known of this.digests) matched = timingSafeEqual(digest, known) || matched;
    // A digest prefix names the client in rate-limit keys without storing the key itself.
    return matched ? `key:${digest.subarray(0, 12).toString('base64url')}` : undefined;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
