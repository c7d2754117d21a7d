import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLContext } from "./context";
import { rememberRequestId } from "./error-request-ids";

// Operation names are the caller's words: a long one is cut, a name the document does not
// hold (the operation never resolved) is taken only when it is a plain GraphQL name.
const MAX_NAME = 64;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Names each operation and the signed-in user on the request object for the access line
 * (common/request-log.ts), and notes the request id of every error for the error formatter.
 * Apollo starts a batch's operations in the batch's order, so a slot taken at the start keeps
 * that order whatever order they finish in.
 */
export function requestLogPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart({ contextValue }) {
      const req = contextValue.req;
      const operations = (req.operations ??= []);
      const slot = operations.push(undefined) - 1;
      if (contextValue.viewer) req.userId = contextValue.viewer.user.id;
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) rememberRequestId(error, contextValue.requestId);
        },
        async willSendResponse({ operation, request }) {
          if (operation) {
            const name = operation.name?.value ?? null;
            operations[slot] = { name: name && name.length > MAX_NAME ? name.slice(0, MAX_NAME) : name, type: operation.operation };
          } else if (request.operationName && NAME.test(request.operationName)) {
            operations[slot] = { name: request.operationName };
          }
        },
      };
    },
  };
}
