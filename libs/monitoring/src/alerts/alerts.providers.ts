import type { Provider } from '@nestjs/common';
import type { AlertRule } from './alert';
import { AlertEvaluator } from './alert-evaluator';
import { AlertOutbox } from './alert-outbox';
import { ALERT_RULES } from './alert-rules';
import { AlertStore } from './alert-store';
import { AlertTicker } from './alert-ticker';
import { AlertsMetrics } from './alerts.metrics';
import { AlertsView } from './alerts-view';
import { DatabaseOutageAlert } from './database-outage.alert';
import { InstanceHeartbeat } from './instance-heartbeat';
import { BackfillFailedRule } from './rules/backfill-failed.rule';
import { MarketDataStaleRule } from './rules/market-data-stale.rule';
import { ProviderRateLimitedRule } from './rules/provider-rate-limited.rule';
import { SlowRouteRule } from './rules/slow-route.rule';
import { StorageNearlyFullRule } from './rules/storage-nearly-full.rule';

const RULES = [SlowRouteRule, ProviderRateLimitedRule, StorageNearlyFullRule, BackfillFailedRule, MarketDataStaleRule];

/** The alerts engine's providers, for MonitoringModule. */
export const ALERT_PROVIDERS: Provider[] = [
  ...RULES,
  { provide: ALERT_RULES, useFactory: (...rules: AlertRule[]) => rules, inject: RULES },
  AlertStore,
  AlertsMetrics,
  AlertEvaluator,
  AlertOutbox,
  DatabaseOutageAlert,
  InstanceHeartbeat,
  AlertTicker,
  AlertsView,
];
