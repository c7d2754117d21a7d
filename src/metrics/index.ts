// What metrics/ offers the other features; they import from here, not from its files.
export { graphqlMetricsPlugin } from "./graphql-metrics.plugin";
export { createMetrics } from "./metrics";
export type { Metrics } from "./metrics";
export { metricsOnMainPort, metricsRoute } from "./metrics-route";
