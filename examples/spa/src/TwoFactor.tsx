import { useState, type FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import {
  BeginTotpEnrollmentMutation,
  ConfirmTwoFactorEnrollmentMutation,
  DisableTwoFactorMutation,
  ViewerQuery,
} from "./operations";
import { describeError } from "./errors";

const codeFrom = (event: FormEvent<HTMLFormElement>) => String(new FormData(event.currentTarget).get("code") ?? "").trim();

/** TOTP: scan the QR code, confirm with a code, keep the recovery codes. */
export function TwoFactor({ enabled }: { enabled: boolean }) {
  const [begin, beginning] = useMutation(BeginTotpEnrollmentMutation);
  const [confirm, confirming] = useMutation(ConfirmTwoFactorEnrollmentMutation, { refetchQueries: [ViewerQuery] });
  const [disable, disabling] = useMutation(DisableTwoFactorMutation, { refetchQueries: [ViewerQuery] });
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const enrollment = beginning.data?.beginTotpEnrollment;
  const error = beginning.error ?? confirming.error ?? disabling.error;

  const submitConfirm = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = await confirm({ variables: { code: codeFrom(event) } }).catch(() => undefined);
    if (result?.data) setRecoveryCodes(result.data.confirmTwoFactorEnrollment.codes);
  };
  const submitDisable = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    await disable({ variables: { code: codeFrom(event) } }).catch(() => undefined);
    beginning.reset();
  };

  let body;
  if (recoveryCodes) {
    body = (
      <>
        <p role="status">Two-factor authentication is on. Keep these recovery codes somewhere safe; each works once:</p>
        <ul className="codes" aria-label="Recovery codes">
          {recoveryCodes.map((code) => <li key={code}><code>{code}</code></li>)}
        </ul>
        <button onClick={() => setRecoveryCodes(undefined)}>Done</button>
      </>
    );
  } else if (enabled) {
    body = (
      <form onSubmit={submitDisable}>
        <p>Two-factor authentication is on.</p>
        <label>Current code <input name="code" required autoComplete="one-time-code" /></label>
        <button type="submit" disabled={disabling.loading}>Turn off</button>
      </form>
    );
  } else if (enrollment) {
    body = (
      <form onSubmit={submitConfirm}>
        <p>Scan this code with an authenticator app, then enter the code it shows.</p>
        <img src={enrollment.qrCodeDataUrl} alt="QR code for your authenticator app" width={200} height={200} />
        <p>
          Or type the secret: <code data-testid="totp-secret">{enrollment.secret}</code>
        </p>
        <label>Code from the app <input name="code" required autoComplete="one-time-code" inputMode="numeric" /></label>
        <button type="submit" disabled={confirming.loading}>Turn on</button>
      </form>
    );
  } else {
    body = (
      <>
        <p>Two-factor authentication is off.</p>
        <button onClick={() => begin().catch(() => undefined)} disabled={beginning.loading}>
          Set up an authenticator app
        </button>
      </>
    );
  }

  return (
    <section className="card" aria-labelledby="two-factor-heading">
      <h2 id="two-factor-heading">Two-factor authentication</h2>
      {body}
      {error && <p className="error" role="alert">{describeError(error)}</p>}
    </section>
  );
}
