import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { createLatchkeyClient } from "@latchkey/client";
import { createLatchkeyLink, possibleTypes } from "@latchkey/client/apollo";

// The console runs on the server's own origin: the sign-in's httpOnly cookies go with every
// request to /graphql, and the app never sees a token. @latchkey/client's link renews an expired
// access cookie once with the refresh cookie and sends the operation again.
export const latchkey = createLatchkeyClient({ url: "/graphql", mode: "cookie" });

const httpLink = new HttpLink({ uri: "/graphql", credentials: "same-origin" });

export const client = new ApolloClient({
  link: ApolloLink.from([createLatchkeyLink(latchkey), httpLink]),
  cache: new InMemoryCache({ possibleTypes }),
});

/** After signing in or out: drop everything cached and refetch what is on screen. */
export function reloadAfterSignInOrOut(): Promise<void> {
  return client.resetStore().then(
    () => undefined,
    () => undefined,
  );
}
