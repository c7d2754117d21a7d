import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition } from "@apollo/client/utilities";
import { createClient } from "graphql-ws";
import { createLatchkeyClient } from "@latchkey/client";
import { createLatchkeyLink, possibleTypes } from "@latchkey/client/apollo";

// The console runs on the server's own origin: the sign-in's httpOnly cookies go with every
// request to /graphql, and the app never sees a token. @latchkey/client's link renews an expired
// access cookie once with the refresh cookie and sends the operation again.
export const latchkey = createLatchkeyClient({ url: "/graphql", mode: "cookie" });

const httpLink = new HttpLink({ uri: "/graphql", credentials: "same-origin" });

// Subscriptions (a user's sessions, live) over WebSocket on the same origin: the upgrade request
// carries the lk_access cookie, which the server accepts from its own origin. Opened on the first
// subscription, closed when none is left.
const wsLink = new GraphQLWsLink(
  createClient({
    url: `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/graphql`,
    lazy: true,
    retryAttempts: 3,
  }),
);

const isSubscription = ({ query }: ApolloLink.Operation) => {
  const definition = getMainDefinition(query);
  return definition.kind === "OperationDefinition" && definition.operation === "subscription";
};

export const client = new ApolloClient({
  link: ApolloLink.split(isSubscription, wsLink, ApolloLink.from([createLatchkeyLink(latchkey), httpLink])),
  cache: new InMemoryCache({ possibleTypes }),
});

/** After signing in or out: drop everything cached and refetch what is on screen. */
export function reloadAfterSignInOrOut(): Promise<void> {
  return client.resetStore().then(
    () => undefined,
    () => undefined,
  );
}

/**
 * A client for an impersonated session: its access token (impersonateUser answers with tokens
 * in the body, never cookies, so the ADMIN's own sign-in stays) sent as a bearer token, and no
 * cookies, so nothing of the ADMIN's session goes with it. The token is kept in memory only.
 */
export function impersonationClient(accessToken: string): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: "/graphql", credentials: "omit", headers: { authorization: `Bearer ${accessToken}` } }),
    cache: new InMemoryCache({ possibleTypes }),
  });
}
