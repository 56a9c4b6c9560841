import type { AppConfigService } from '@app/config';
import { ApiKeyVerifier } from './api-key.verifier';

function verifierFor(keys: string | undefined): ApiKeyVerifier {
  const config = { get: (name: string) => (name === 'API_KEYS' ? keys : undefined) } as unknown as AppConfigService;
  return new ApiKeyVerifier(config);
}

describe('ApiKeyVerifier', () => {
  it('is off without keys', () => {
    expect(verifierFor(undefined).enabled).toBe(false);
    expect(verifierFor(' , ').enabled).toBe(false);
  });

  it('accepts each configured key (trimmed) and names its client without revealing it', () => {
    const verifier = verifierFor(' alpha-key , beta-key ');
    const alpha = verifier.clientIdOf('alpha-key');
    const beta = verifier.clientIdOf('beta-key');
    expect(alpha).toMatch(/^key:[A-Za-z0-9_-]{16}$/);
    expect(beta).toMatch(/^key:/);
    expect(alpha).not.toBe(beta);
    expect(alpha).not.toContain('alpha');
  });

  it.each(['', 'alpha', 'alpha-key ', 'ALPHA-KEY', 'alpha-keyy', 'x'.repeat(10_000)])('refuses %j', (presented) => {
    expect(verifierFor('alpha-key').clientIdOf(presented)).toBeUndefined();
  });
});
