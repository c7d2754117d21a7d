import type { AuthStore } from "./auth-store.ts";
import { hasUnauthenticated } from "./graphql-errors.ts";
import { RefreshSessionDocument } from "./generated/operations.ts";
import { sendOperation, type TransportOptions } from "./transport.ts";

/**
 * Refreshes the session at most once at a time: every caller that finds its access token
 * expired while a refresh is under way waits for that one. Presenting one refresh token twice
 * would look like theft to the server, and revoke the session.
 */
export function createRefresher(transport: TransportOptions, store: AuthStore): () => Promise<boolean> {
  let inFlight: Promise<boolean> | undefined;

  async function refreshOnce(): Promise<boolean> {
    const refreshToken = store.refreshToken();
    if (store.mode === "bearer" && !refreshToken) {
      store.signOut("sessionRevoked");
      return false;
    }
    let result;
    try {
      result = await sendOperation(transport, RefreshSessionDocument, store.mode === "bearer" ? { refreshToken } : {});
    } catch {
      // The network failed, not the session: stay signed in and let the request fail.
      return false;
    }
    const payload = result.data?.refreshSession;
    if (payload && !result.errors) {
      store.refreshed(store.mode === "bearer" ? { accessToken: payload.accessToken!, refreshToken: payload.refreshToken! } : undefined);
      return true;
    }
    // A used, revoked or expired refresh token: the session is over.
    if (hasUnauthenticated(result.errors)) store.signOut("sessionRevoked");
    return false;
  }

  return () => {
    inFlight ??= refreshOnce().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
