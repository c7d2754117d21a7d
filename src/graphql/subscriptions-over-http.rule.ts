import { GraphQLError, OperationTypeNode, type ValidationRule } from "graphql";

/**
 * Refuses subscription operations as a validation failure (GRAPHQL_VALIDATION_FAILED, HTTP 400,
 * on GET and POST alike). /graphql answers one response per operation, so a subscription has no
 * transport here; without this rule graphql-js reached execution and failed there with an error
 * of its own ("Schema is not configured to execute subscription operation"), which is no
 * caller's fault and came out as INTERNAL_SERVER_ERROR.
 */
export const subscriptionsOverHttpRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation !== OperationTypeNode.SUBSCRIPTION) return;
    context.reportError(new GraphQLError("Subscription operations are not served over HTTP; send queries and mutations only", { nodes: node }));
  },
});
