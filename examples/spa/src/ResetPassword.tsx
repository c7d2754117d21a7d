import { useState, type FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { ResetPasswordMutation } from "./link-operations";
import { describeError } from "./errors";
import { linkToken } from "./link-token";
import { LinkPage } from "./LinkPage";

/** /reset-password?token=…: the page the password-reset mail links to. */
export function ResetPassword() {
  const [token] = useState(linkToken);
  const [reset, { loading, error, data }] = useMutation(ResetPasswordMutation);
  const [mismatch, setMismatch] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const newPassword = String(form.get("newPassword") ?? "");
    const differs = newPassword !== String(form.get("repeat") ?? "");
    setMismatch(differs);
    if (!differs) await reset({ variables: { input: { token, newPassword } } }).catch(() => undefined);
  };

  if (!token) return <LinkPage title="Choose a new password"><p className="error" role="alert">This link has no token: open the link from the mail again.</p></LinkPage>;
  if (data?.resetPassword) {
    return (
      <LinkPage title="Choose a new password">
        <p className="ok" role="status">Your password was changed and every session signed out.</p>
        <a className="button" href="/">Sign in</a>
      </LinkPage>
    );
  }
  return (
    <LinkPage title="Choose a new password">
      <form onSubmit={submit} aria-label="New password">
        <label>New password <input name="newPassword" type="password" required autoComplete="new-password" /></label>
        <label>Repeat it <input name="repeat" type="password" required autoComplete="new-password" /></label>
        <button type="submit" disabled={loading}>Set password</button>
        {mismatch && <p className="error" role="alert">The two passwords differ.</p>}
        {error && <p className="error" role="alert">{describeError(error)}</p>}
      </form>
    </LinkPage>
  );
}
