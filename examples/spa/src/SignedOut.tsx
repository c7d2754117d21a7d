import { useState, type FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { useSignIn } from "@latchkey/client/react";
import { RegisterMutation } from "./operations";
import { reloadAfterSignInOrOut } from "./apollo";
import { describeError, describeErrorList } from "./errors";
import { EmailCodeSignIn } from "./EmailCodeSignIn";
import { MagicLinkForm } from "./MagicLink";

const field = (form: FormData, name: string) => String(form.get(name) ?? "");

export function SignedOut() {
  const [registered, setRegistered] = useState<string>();
  return (
    <main className="signed-out">
      <h1>Latchkey</h1>
      <div className="columns">
        <LoginForm identifier={registered} />
        <EmailCodeSignIn />
        <MagicLinkForm />
        <RegisterForm onRegistered={setRegistered} />
      </div>
    </main>
  );
}

/** Sign-up; with an invitation's token (the accept-invitation link) the account joins that organization in the same step. */
export function RegisterForm({ onRegistered, invitationToken }: { onRegistered: (username: string) => void; invitationToken?: string }) {
  const [register, { loading, error }] = useMutation(RegisterMutation);
  const [done, setDone] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = field(form, "username");
    const result = await register({
      variables: {
        input: {
          username,
          email: field(form, "email") || null,
          password: field(form, "password"),
          secretPasskey: field(form, "secretPasskey"),
          ...(invitationToken ? { invitationToken } : {}),
        },
      },
    }).catch(() => undefined);
    if (result?.data) {
      setDone(true);
      onRegistered(username);
    }
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby="register-heading">
      <h2 id="register-heading">Create an account</h2>
      <label>Username <input name="username" required autoComplete="username" /></label>
      {invitationToken ? (
        <label>E-mail (the invited address) <input name="email" type="email" required autoComplete="email" /></label>
      ) : (
        <label>E-mail (optional) <input name="email" type="email" autoComplete="email" /></label>
      )}
      <label>Password <input name="password" type="password" required autoComplete="new-password" /></label>
      <label>
        Secret passkey <input name="secretPasskey" type="password" required autoComplete="off" />
        <small>a second secret you keep offline: it resets your password if you lose it</small>
      </label>
      <button type="submit" disabled={loading}>Create account</button>
      {done && <p className="ok" role="status">Account created. Sign in.</p>}
      {error && <p className="error" role="alert">{describeError(error)}</p>}
    </form>
  );
}

// Sign-in goes through @latchkey/client's useSignIn: the package's client sends `cookie: true`
// in cookie mode and keeps the auth state; the page reloads into the signed-in app.
export function LoginForm({ identifier, onSignedIn = reloadAfterSignInOrOut }: { identifier?: string; onSignedIn?: () => Promise<void> }) {
  const { signIn, pending } = useSignIn();
  const [challenge, setChallenge] = useState<string>();
  const [failure, setFailure] = useState<string>();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const outcome = await signIn({ identifier: field(form, "identifier"), password: field(form, "password") });
    setFailure(outcome.status === "failed" ? describeErrorList(outcome.errors) : undefined);
    if (outcome.status === "twoFactorRequired") setChallenge(outcome.challengeToken);
    else if (outcome.status === "signedIn") await onSignedIn();
  };

  if (challenge) return <TwoFactorLoginForm challengeToken={challenge} onCancel={() => setChallenge(undefined)} onSignedIn={onSignedIn} />;
  return (
    <form onSubmit={submit} className="card" aria-labelledby="login-heading" key={identifier}>
      <h2 id="login-heading">Sign in</h2>
      <label>Username or e-mail <input name="identifier" required defaultValue={identifier} autoComplete="username" /></label>
      <label>Password <input name="password" type="password" required autoComplete="current-password" /></label>
      <button type="submit" disabled={pending}>Sign in</button>
      {failure && <p className="error" role="alert">{failure}</p>}
    </form>
  );
}

export function TwoFactorLoginForm({ challengeToken, onCancel, onSignedIn }: { challengeToken: string; onCancel: () => void; onSignedIn: () => Promise<void> }) {
  const { verifyTwoFactor, pending } = useSignIn();
  const [failure, setFailure] = useState<string>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = field(new FormData(event.currentTarget), "code");
    const outcome = await verifyTwoFactor({ challengeToken, code });
    setFailure(outcome.status === "failed" ? describeErrorList(outcome.errors) : undefined);
    if (outcome.status === "signedIn") await onSignedIn();
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby="two-factor-login-heading">
      <h2 id="two-factor-login-heading">Two-factor code</h2>
      <label>
        Code from your authenticator app, or a recovery code
        <input name="code" required autoComplete="one-time-code" inputMode="text" />
      </label>
      <button type="submit" disabled={pending}>Verify</button>
      <button type="button" onClick={onCancel}>Back</button>
      {failure && <p className="error" role="alert">{failure}</p>}
    </form>
  );
}
