import type { ApolloServerPlugin, GraphQLRequestListener } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import { ErrorCode } from "../common/app-error";

/** The longest wait any RATE_LIMITED error of these asks for (extensions.retryAfterSeconds), or 0. */
function longestWait(errors: readonly GraphQLFormattedError[] | undefined): number {
  let longest = 0;
  for (const error of errors ?? []) {
    const wait = error.extensions?.code === ErrorCode.RATE_LIMITED ? error.extensions.retryAfterSeconds : undefined;
    if (typeof wait === "number" && wait > longest) longest = wait;
  }
  return longest;
}

// One listener for every request: a response without errors costs one property read.
const listener: GraphQLRequestListener<object> = {
  async willSendResponse({ response }) {
    const body = response.body;
    const wait = longestWait(body.kind === "single" ? body.singleResult.errors : body.initialResult.errors);
    if (wait === 0) return;
    // The operations of a batch share one set of headers: the longest wait wins, so a client
    // that honours the header retries no call too early.
    const earlier = Number(response.http.headers.get("retry-after") ?? 0);
    response.http.headers.set("retry-after", String(Math.max(wait, earlier)));
  },
};

/**
 * Sets the Retry-After header (seconds, RFC 9110) on every response that answers RATE_LIMITED,
 * from the same value as the error's extensions.retryAfterSeconds, so HTTP clients and proxies
 * that know the header need not read the body. The status stays: a rate-limited field is a
 * field error in a 200 answer, as every GraphQL error after validation is.
 */
export function retryAfterPlugin(): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
