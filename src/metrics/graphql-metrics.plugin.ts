import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLContext } from "../graphql/context";
import type { Metrics } from "./metrics";

// Client-chosen operation names become label values: keep them tidy and bounded in number.
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_DISTINCT_NAMES = 500;

/** Counts and times every operation by name, type and outcome ("ok" or the first error code). */
export function graphqlMetricsPlugin(metrics: Metrics): ApolloServerPlugin<GraphQLContext> {
  const seenNames = new Set<string>();
  const labelFor = (name: string | null | undefined) => {
    if (!name) return "anonymous";
    if (!NAME.test(name)) return "invalid";
    if (seenNames.has(name)) return name;
    if (seenNames.size >= MAX_DISTINCT_NAMES) return "other";
    seenNames.add(name);
    return name;
  };
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ request, operation, response }) {
          const body = response.body;
          const errors = body.kind === "single" ? body.singleResult.errors : undefined;
          const outcome = errors?.length ? String(errors[0].extensions?.code ?? "INTERNAL_SERVER_ERROR") : "ok";
          const labels = {
            operation_name: labelFor(operation?.name?.value ?? request.operationName),
            operation_type: operation?.operation ?? "unknown",
            outcome,
          };
          metrics.operations.inc(labels);
          metrics.operationDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
