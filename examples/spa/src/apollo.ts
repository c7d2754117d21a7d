import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import UploadHttpLink from "apollo-upload-client/UploadHttpLink.mjs";
import { createLatchkeyClient } from "@latchkey/client";
import { createLatchkeyLink, possibleTypes } from "@latchkey/client/apollo";

// Tokens live in httpOnly cookies the app cannot read: the browser sends them with every
// same-origin request. @latchkey/client's link adds what cookie mode needs (the cookies and the
// preflight header the server's CSRF check asks of uploads) and, when the access cookie has
// expired, renews it once with the refresh cookie and sends the operation again.
export const latchkey = createLatchkeyClient({ url: "/graphql", mode: "cookie" });

const httpLink = new UploadHttpLink({ uri: "/graphql", credentials: "same-origin" });

export const client = new ApolloClient({
  link: ApolloLink.from([createLatchkeyLink(latchkey), httpLink]),
  // possibleTypes lets the cache match `... on TwoFactorChallenge` in a LoginResult.
  cache: new InMemoryCache({ possibleTypes }),
});

/**
 * After signing in or out: drop everything cached and refetch what is on screen. Outcomes reach
 * the components through their own queries; queries cut short by the change (a list that is
 * no longer shown) are not errors.
 */
export function reloadAfterSignInOrOut(): Promise<void> {
  return client.resetStore().then(
    () => undefined,
    () => undefined,
  );
}
