import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import type { AuthSnapshot } from "../auth-store.ts";
import type { SignInOutcome } from "../latchkey-client.ts";
import { ViewerDocument, type LoginInput, type RegisterInput, type TwoFactorLoginInput, type ViewerQuery } from "../generated/operations.ts";
import { createLatchkeyFetch } from "../latchkey-fetch.ts";
import { sendOperation } from "../transport.ts";
import { useLatchkeyClient } from "./latchkey-provider.tsx";

/** The auth state; re-renders on sign-in, refresh and sign-out. */
export function useAuthState(): AuthSnapshot {
  const { store } = useLatchkeyClient();
  return useSyncExternalStore(store.subscribe, store.snapshot, store.snapshot);
}

export type Viewer = NonNullable<ViewerQuery["viewer"]>;

/**
 * Who is signed in: undefined while loading, null when signed out. Asks again whenever the
 * auth state changes. Reads `viewer`: null, not an error, when signed out; an expired session
 * is refreshed first (the fetch wrapper follows `extensions.session`).
 */
export function useViewer(): { viewer: Viewer | null | undefined; refetch: () => void } {
  const client = useLatchkeyClient();
  const auth = useAuthState();
  const [viewer, setViewer] = useState<Viewer | null | undefined>(undefined);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    const authedFetch = createLatchkeyFetch(client);
    sendOperation({ ...client.transport, fetch: authedFetch }, ViewerDocument, {}, client.store.snapshot().accessToken).then(
      (result) => current && setViewer(result.data?.viewer ?? null),
      () => current && setViewer(null),
    );
    return () => {
      current = false;
    };
  }, [client, auth.signedIn, version]);
  const refetch = useCallback(() => setVersion((v) => v + 1), []);
  return { viewer, refetch };
}

/** Sign-in with its two-factor branch: `signIn`, then `verifyTwoFactor` when the outcome asks; `signUp` creates the account and signs it in. */
export function useSignIn(): {
  signIn: (input: Omit<LoginInput, "cookie">) => Promise<SignInOutcome>;
  signUp: (input: Omit<RegisterInput, "cookie" | "signIn">) => Promise<SignInOutcome>;
  verifyTwoFactor: (input: TwoFactorLoginInput) => Promise<SignInOutcome>;
  pending: boolean;
} {
  const client = useLatchkeyClient();
  const [pending, setPending] = useState(false);
  const track = useCallback(<T,>(work: Promise<T>) => {
    setPending(true);
    return work.finally(() => setPending(false));
  }, []);
  return {
    signIn: useCallback((input) => track(client.signIn(input)), [client, track]),
    signUp: useCallback((input) => track(client.signUp(input)), [client, track]),
    verifyTwoFactor: useCallback((input) => track(client.verifyTwoFactor(input)), [client, track]),
    pending,
  };
}

export function useSignOut(): () => Promise<void> {
  const client = useLatchkeyClient();
  return useCallback(() => client.signOut(), [client]);
}
