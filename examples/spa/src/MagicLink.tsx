import { useState, type FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { graphql } from "./gql";
import { reloadAfterSignInOrOut } from "./apollo";
import { describeError } from "./errors";
import { TwoFactorLoginForm } from "./SignedOut";

export const RequestMagicLinkMutation = graphql(`
  mutation RequestMagicLink($email: String!, $redirectUri: String) { requestMagicLink(email: $email, redirectUri: $redirectUri) }
`);

// The server's /magic-link page signs in with cookies and comes back here; a two-factor account
// comes back with #magicLinkChallenge=<challengeToken> for the code step.
const CHALLENGE = /^#magicLinkChallenge=([A-Za-z0-9_-]+)$/;

/**
 * "E-mail me a link": the server mails a sign-in link (bound to this browser by a cookie) and
 * answers alike whether or not the address has an account.
 */
export function MagicLinkForm() {
  const [requestLink, { loading, error }] = useMutation(RequestMagicLinkMutation);
  const [sent, setSent] = useState(false);
  const [challenge, setChallenge] = useState(() => CHALLENGE.exec(location.hash)?.[1]);

  const forgetChallenge = () => {
    history.replaceState(null, "", location.pathname + location.search);
    setChallenge(undefined);
  };
  if (challenge) {
    const signedIn = async () => {
      forgetChallenge();
      await reloadAfterSignInOrOut();
    };
    return <TwoFactorLoginForm challengeToken={challenge} onCancel={forgetChallenge} onSignedIn={signedIn} />;
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "");
    const result = await requestLink({ variables: { email, redirectUri: `${location.origin}/` } }).catch(() => undefined);
    setSent(result?.data?.requestMagicLink === true);
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby="magic-link-heading">
      <h2 id="magic-link-heading">E-mail me a link</h2>
      <label>E-mail <input name="email" type="email" required autoComplete="email" /></label>
      <button type="submit" disabled={loading}>E-mail me a link</button>
      {sent && <p className="ok" role="status">If an account has this address, a sign-in link is on its way. Open it in this browser.</p>}
      {error && <p className="error" role="alert">{describeError(error)}</p>}
    </form>
  );
}
