import { createContext, useCallback, useContext, useState, type FormEvent, type ReactNode } from "react";
import { useMutation } from "@apollo/client/react";
import { startAuthentication } from "@simplewebauthn/browser";
import { BeginPasskeyReauthenticationMutation, FinishPasskeyReauthenticationMutation, ReauthenticateMutation } from "./operations";
import { describeError, needsReauthentication } from "./errors";

/**
 * Runs an admin action; when the server answers FORBIDDEN with reason REAUTHENTICATION_REQUIRED
 * (the session's last proof of identity is older than REAUTH_MAX_AGE), asks for the password or
 * a code, reauthenticates and runs the action once more. Cancelling rejects with the first error.
 */
type Guard = <T>(action: () => Promise<T>) => Promise<T>;

const ReauthContext = createContext<Guard>((action) => action());

export function useReauthGuard(): Guard {
  return useContext(ReauthContext);
}

export function ReauthProvider({ children }: { children: ReactNode }) {
  const [prompt, setPrompt] = useState<{ resolve: () => void; reject: () => void }>();

  const guard = useCallback<Guard>(async (action) => {
    try {
      return await action();
    } catch (error) {
      if (!needsReauthentication(error)) throw error;
      await new Promise<void>((resolve, reject) => setPrompt({ resolve, reject: () => reject(error) }));
      return action();
    }
  }, []);

  return (
    <ReauthContext.Provider value={guard}>
      {children}
      {prompt && (
        <ReauthDialog
          onDone={() => {
            setPrompt(undefined);
            prompt.resolve();
          }}
          onCancel={() => {
            setPrompt(undefined);
            prompt.reject();
          }}
        />
      )}
    </ReauthContext.Provider>
  );
}

function ReauthDialog({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const [reauthenticate, { loading }] = useMutation(ReauthenticateMutation);
  const [beginPasskey] = useMutation(BeginPasskeyReauthenticationMutation);
  const [finishPasskey] = useMutation(FinishPasskeyReauthenticationMutation);
  const withPasskey = async () => {
    setFailure(undefined);
    try {
      const started = (await beginPasskey()).data!.beginPasskeyReauthentication;
      const response = await startAuthentication({ optionsJSON: JSON.parse(started.optionsJson) });
      await finishPasskey({ variables: { challengeToken: started.challengeToken, responseJson: JSON.stringify(response) } });
      onDone();
    } catch (error) {
      setFailure(describeError(error));
    }
  };
  const [method, setMethod] = useState<"password" | "code">("password");
  const [failure, setFailure] = useState<string>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const secret = String(new FormData(event.currentTarget).get("secret") ?? "");
    try {
      await reauthenticate({ variables: { input: method === "password" ? { password: secret } : { code: secret } } });
      onDone();
    } catch (error) {
      setFailure(describeError(error));
    }
  };
  return (
    <div className="backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby="reauth-heading" className="dialog card">
        <form onSubmit={submit} aria-labelledby="reauth-heading">
          <h2 id="reauth-heading">Confirm it is you</h2>
          <p>This action needs a recent sign-in. Prove who you are to continue.</p>
          <fieldset>
            <legend>Prove it with</legend>
            <label className="inline">
              <input type="radio" name="method" checked={method === "password"} onChange={() => setMethod("password")} /> Password
            </label>
            <label className="inline">
              <input type="radio" name="method" checked={method === "code"} onChange={() => setMethod("code")} /> Two-factor or recovery code
            </label>
          </fieldset>
          <label>
            {method === "password" ? "Your password" : "Code"}
            <input
              key={method}
              name="secret"
              required
              autoFocus
              type={method === "password" ? "password" : "text"}
              autoComplete={method === "password" ? "current-password" : "one-time-code"}
            />
          </label>
          <div className="row">
            <button type="submit" disabled={loading}>Confirm</button>
            <button type="button" className="secondary" onClick={withPasskey}>Use a passkey instead</button>
            <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
          </div>
          {failure && <p className="error" role="alert">{failure}</p>}
        </form>
      </div>
    </div>
  );
}
