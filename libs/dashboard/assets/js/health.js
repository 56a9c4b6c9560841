/** GET /health for the header badge (and the operations tab): its body says what is wrong when it answers 503, so both are read. */
import { apiUrl } from './api.js';

export async function fetchHealth() {
  const response = await fetch(apiUrl('health'), { headers: { Accept: 'application/json' } });
  return response.json();
}

/** The badge in the header: ok, ok with alerts firing, degraded, or unreachable. */
export function showHealth(badge, health) {
  if (!health) {
    badge.dataset.status = 'error';
    badge.textContent = 'Health: API unreachable';
    return;
  }
  const firing = health.details?.alerts?.firing?.length ?? 0;
  badge.dataset.status = health.status !== 'ok' ? 'error' : firing ? 'warn' : 'ok';
  badge.textContent =
    health.status !== 'ok' ? 'Health: degraded' : firing ? `Health: ok, ${firing} alert${firing === 1 ? '' : 's'} firing` : 'Health: ok';
}
