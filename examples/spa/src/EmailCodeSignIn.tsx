import { useState, type FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { graphql } from "./gql";
import { latchkey, reloadAfterSignInOrOut } from "./apollo";
import { describeError } from "./errors";
import { TwoFactorLoginForm } from "./SignedOut";

// Sign-in by a code mailed to the account's verified address: for a device where following a
// link is awkward. The server answers every address alike, so the page cannot (and does not)
// say whether a mail went out.
const RequestEmailCodeMutation = graphql(`
  mutation RequestEmailCode($email: String!) { requestEmailCode(email: $email) { challengeToken expiresAt codeLength } }
`);

const SignInWithEmailCodeMutation = graphql(`
  mutation SignInWithEmailCode($challengeToken: String!, $code: String!) {
    signInWithEmailCode(challengeToken: $challengeToken, code: $code, cookie: true) {
      __typename
      ... on AuthPayload { user { id } }
      ... on TwoFactorChallenge { challengeToken methods expiresAt }
    }
  }
`);

interface Challenge {
  email: string;
  challengeToken: string;
  expiresAt: string;
  codeLength: number;
}

export function EmailCodeSignIn({ onSignedIn = reloadAfterSignInOrOut }: { onSignedIn?: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [challenge, setChallenge] = useState<Challenge>();
  const [twoFactor, setTwoFactor] = useState<string>();
  const [request, requested] = useMutation(RequestEmailCodeMutation);
  const [signIn, signedIn] = useMutation(SignInWithEmailCodeMutation);

  const ask = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "");
    const result = await request({ variables: { email } }).catch(() => undefined);
    if (result?.data) setChallenge({ email, ...result.data.requestEmailCode });
  };

  const verify = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!challenge) return;
    const code = String(new FormData(event.currentTarget).get("code") ?? "");
    const result = await signIn({ variables: { challengeToken: challenge.challengeToken, code } }).catch(() => undefined);
    const answer = result?.data?.signInWithEmailCode;
    if (answer?.__typename === "TwoFactorChallenge") {
      latchkey.store.twoFactorRequired({ challengeToken: answer.challengeToken, methods: answer.methods, expiresAt: answer.expiresAt });
      setTwoFactor(answer.challengeToken);
    } else if (answer?.__typename === "AuthPayload") {
      // Cookie mode: the server set the cookies; the client only learns that it is signed in.
      latchkey.store.signIn();
      await onSignedIn();
    }
  };

  if (twoFactor) return <TwoFactorLoginForm challengeToken={twoFactor} onCancel={() => setTwoFactor(undefined)} onSignedIn={onSignedIn} />;
  if (!open) {
    return (
      <p className="card">
        <button type="button" onClick={() => setOpen(true)}>E-mail me a code</button>
      </p>
    );
  }
  if (!challenge) {
    return (
      <form onSubmit={ask} className="card" aria-labelledby="email-code-heading">
        <h2 id="email-code-heading">Code by e-mail</h2>
        <label>E-mail (the account's verified address) <input name="email" type="email" required autoComplete="email" /></label>
        <button type="submit" disabled={requested.loading}>E-mail me a code</button>
        <button type="button" onClick={() => setOpen(false)}>Back</button>
        {requested.error && <p className="error" role="alert">{describeError(requested.error)}</p>}
      </form>
    );
  }
  return (
    <form onSubmit={verify} className="card" aria-labelledby="email-code-heading">
      <h2 id="email-code-heading">Enter the code</h2>
      <p role="status">
        If {challenge.email} is the verified address of an account, a code of {challenge.codeLength} digits is on its way. It works until{" "}
        {new Date(challenge.expiresAt).toLocaleTimeString()}.
      </p>
      <label>
        Code from the mail
        <input name="code" required autoComplete="one-time-code" inputMode="numeric" pattern="[0-9 \-]*" maxLength={challenge.codeLength + 2} />
      </label>
      <button type="submit" disabled={signedIn.loading}>Sign in</button>
      <button type="button" onClick={() => setChallenge(undefined)}>Send another code</button>
      {signedIn.error && <p className="error" role="alert">{describeError(signedIn.error)}</p>}
    </form>
  );
}
