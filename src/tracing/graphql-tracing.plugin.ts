import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { markFailed, startSpan } from "./spans";

// Operation names are the client's choice: only plain GraphQL names, bounded, go on a span.
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * One span per GraphQL operation, a child of the HTTP request's span: named for the operation
 * (`mutation Login`), with its type, name and outcome ("ok" or the first error's code). The
 * document and the variables are never recorded: both can hold passwords and tokens.
 * Registered only when tracing is on.
 */
export function graphqlTracingPlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      const span = startSpan("GraphQL Operation", {});
      if (!span) return {};
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          const type = operation.operation;
          const given = operationName ?? operation.name?.value;
          const name = !given ? "anonymous" : NAME.test(given) ? given : "invalid";
          span.updateName(`${type} ${name}`);
          span.setAttributes({ "graphql.operation.type": type, "graphql.operation.name": name });
        },
        async willSendResponse({ response }) {
          const body = response.body;
          const errors = body.kind === "single" ? body.singleResult.errors : undefined;
          const outcome = errors?.length ? String(errors[0].extensions?.code ?? "INTERNAL_SERVER_ERROR") : "ok";
          span.setAttribute("latchkey.graphql.outcome", outcome);
          if (outcome !== "ok") markFailed(span, outcome);
          span.end();
        },
      };
    },
  };
}
