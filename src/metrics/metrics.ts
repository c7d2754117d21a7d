import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface MetricSources {
  activeSessions(): Promise<number>;
  outboxDepth(): Promise<number>;
}

/** Every Prometheus series the server exposes, in one registry per server instance. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const operationLabels = ["operation_name", "operation_type", "outcome"] as const;
  const metrics = {
    registry,
    operations: new Counter({
      name: "latchkey_graphql_operations_total",
      help: "GraphQL operations by name, type and outcome (ok or the error code)",
      labelNames: operationLabels,
      registers: [registry],
    }),
    operationDuration: new Histogram({
      name: "latchkey_graphql_operation_duration_seconds",
      help: "GraphQL operation latency",
      labelNames: operationLabels,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    logins: new Counter({
      name: "latchkey_logins_total",
      help: "Sign-in attempts by result: success, failure, locked, challenge",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: "latchkey_rate_limited_total",
      help: "Calls refused by a rate limit, by field",
      labelNames: ["field"] as const,
      registers: [registry],
    }),
    lockouts: new Counter({
      name: "latchkey_account_lockouts_total",
      help: "Times an account (or an unknown identifier) was locked after repeated failures",
      registers: [registry],
    }),
    sessionCache: new Counter({
      name: "latchkey_session_cache_lookups_total",
      help: "Context-builder session lookups answered from memory (hit) or the database (miss)",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    personalAccessTokenCache: new Counter({
      name: "latchkey_personal_access_token_cache_lookups_total",
      help: "Personal access token lookups answered from memory (hit) or the database (miss), while the token cache is on",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    /** Gauges read from the database at scrape time; set by `bindSources`. */
    bindSources(sources: MetricSources) {
      new Gauge({
        name: "latchkey_active_sessions",
        help: "Sessions neither revoked nor expired",
        registers: [registry],
        async collect() {
          // While the database is away the gauge keeps its last value: /metrics must still answer.
          await sources.activeSessions().then((value) => this.set(value), () => undefined);
        },
      });
      new Gauge({
        name: "latchkey_outbox_queue_depth",
        help: "Outgoing e-mails waiting to be sent",
        registers: [registry],
        async collect() {
          // While the database is away the gauge keeps its last value: /metrics must still answer.
          await sources.outboxDepth().then((value) => this.set(value), () => undefined);
        },
      });
    },
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
