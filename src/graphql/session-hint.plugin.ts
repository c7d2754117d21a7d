import type { ApolloServerPlugin, GraphQLRequestListener } from "@apollo/server";
import type { GraphQLContext } from "./context";

/** What `extensions.session` says when `viewer` answered null to a request a refresh may sign in again. */
export const SESSION_EXPIRED = "EXPIRED";

const listener: GraphQLRequestListener<GraphQLContext> = {
  async willSendResponse({ contextValue, response }) {
    if (!contextValue.answeredStaleViewer || response.body.kind !== "single") return;
    const result = response.body.singleResult;
    result.extensions = { ...result.extensions, session: SESSION_EXPIRED };
  },
};

/**
 * `viewer` is null, never an error, for a signed-out caller, so it cannot say "your access token
 * expired" the way UNAUTHENTICATED does. When it answered null to a request that carried an
 * access token or the refresh cookie, the response says `extensions.session: "EXPIRED"`: a client
 * (@latchkey/client) then refreshes once and asks again, instead of showing a live session as
 * signed out. A caller with no credentials at all gets no hint.
 */
export function sessionHintPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
