import { useState, type FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { useSignIn } from "@latchkey/client/react";
import { startAuthentication } from "@simplewebauthn/browser";
import { BeginPasskeyLoginMutation, FinishPasskeyLoginMutation } from "./operations";
import { reloadAfterSignInOrOut } from "./apollo";
import { describeError, describeErrorList } from "./errors";

const field = (form: FormData, name: string) => String(form.get(name) ?? "");

/** Sign-in: password (then a two-factor code when the account asks for one), or a passkey. */
export function SignIn() {
  const [challenge, setChallenge] = useState<string>();
  return (
    <main className="signed-out" id="main">
      <h1>Latchkey admin</h1>
      {challenge ? (
        <TwoFactorForm challengeToken={challenge} onCancel={() => setChallenge(undefined)} />
      ) : (
        <PasswordForm onChallenge={setChallenge} />
      )}
    </main>
  );
}

function PasswordForm({ onChallenge }: { onChallenge: (token: string) => void }) {
  const { signIn, pending } = useSignIn();
  const [failure, setFailure] = useState<string>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const outcome = await signIn({ identifier: field(form, "identifier"), password: field(form, "password") });
    setFailure(outcome.status === "failed" ? describeErrorList(outcome.errors) : undefined);
    if (outcome.status === "twoFactorRequired") onChallenge(outcome.challengeToken);
    else if (outcome.status === "signedIn") await reloadAfterSignInOrOut();
  };
  return (
    <div className="card stack">
      <form onSubmit={submit} aria-labelledby="login-heading">
        <h2 id="login-heading">Sign in</h2>
        <label>Username or e-mail <input name="identifier" required autoComplete="username" /></label>
        <label>Password <input name="password" type="password" required autoComplete="current-password" /></label>
        <button type="submit" disabled={pending}>Sign in</button>
        {failure && <p className="error" role="alert">{failure}</p>}
      </form>
      <PasskeySignIn />
    </div>
  );
}

function PasskeySignIn() {
  const [begin] = useMutation(BeginPasskeyLoginMutation);
  const [finish] = useMutation(FinishPasskeyLoginMutation);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string>();
  const signInWithPasskey = async () => {
    setPending(true);
    setFailure(undefined);
    try {
      const started = await begin();
      const start = started.data!.beginPasskeyLogin;
      const response = await startAuthentication({ optionsJSON: JSON.parse(start.optionsJson) });
      await finish({ variables: { challengeToken: start.challengeToken, responseJson: JSON.stringify(response) } });
      await reloadAfterSignInOrOut();
    } catch (error) {
      setFailure(describeError(error));
    } finally {
      setPending(false);
    }
  };
  return (
    <div className="passkey">
      <p>or</p>
      <button type="button" className="secondary" onClick={signInWithPasskey} disabled={pending}>
        Sign in with a passkey
      </button>
      {failure && <p className="error" role="alert">{failure}</p>}
    </div>
  );
}

function TwoFactorForm({ challengeToken, onCancel }: { challengeToken: string; onCancel: () => void }) {
  const { verifyTwoFactor, pending } = useSignIn();
  const [failure, setFailure] = useState<string>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const outcome = await verifyTwoFactor({ challengeToken, code: field(new FormData(event.currentTarget), "code") });
    setFailure(outcome.status === "failed" ? describeErrorList(outcome.errors) : undefined);
    if (outcome.status === "signedIn") await reloadAfterSignInOrOut();
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby="two-factor-heading">
      <h2 id="two-factor-heading">Two-factor code</h2>
      <label>
        Code from your authenticator app, or a recovery code
        <input name="code" required autoFocus autoComplete="one-time-code" />
      </label>
      <div className="row">
        <button type="submit" disabled={pending}>Verify</button>
        <button type="button" className="secondary" onClick={onCancel}>Back</button>
      </div>
      {failure && <p className="error" role="alert">{failure}</p>}
    </form>
  );
}
