import type { AuthStore } from "./auth-store.ts";
import { hasUnauthenticated } from "./graphql-errors.ts";
import { RefreshSessionDocument } from "./generated/operations.ts";
import { sendOperation, type TransportOptions } from "./transport.ts";

export interface Refresher {
  /** Counts settled refreshes (renewed or refused): a request notes it when sent, and hands it back on failure. */
  generation(): number;
  /**
   * Renews the session for a request sent at `sentAt` (a generation): when a refresh has
   * settled since, the request only needs sending again (or, when it was refused, nothing); otherwise it joins the refresh
   * under way or starts one.
   */
  refresh(sentAt?: number): Promise<boolean>;
}

/**
 * Refreshes the session at most once at a time: every caller that finds its access token
 * expired while a refresh is under way waits for that one, and answers that arrive after it
 * finished do not start another. Presenting one refresh token twice would look like theft to
 * the server, and revoke the session.
 */
export function createRefresher(transport: TransportOptions, store: AuthStore): Refresher {
  let inFlight: Promise<boolean> | undefined;
  let generation = 0;

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
      generation += 1;
      store.refreshed(store.mode === "bearer" ? { accessToken: payload.accessToken!, refreshToken: payload.refreshToken! } : undefined);
      return true;
    }
    // A used, revoked or expired refresh token: the session is over, and requests that fail
    // later need not ask again.
    if (hasUnauthenticated(result.errors)) {
      generation += 1;
      store.signOut("sessionRevoked");
    }
    return false;
  }

  return {
    generation: () => generation,
    refresh(sentAt) {
      if (sentAt !== undefined && sentAt < generation) return Promise.resolve(store.snapshot().signedIn);
      inFlight ??= refreshOnce().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}
