import type { Client, ClientOptions } from "graphql-ws";
import type { LatchkeyClient } from "./latchkey-client.ts";

/** What a SessionEvent reports (the server's SessionEventType). */
export type SessionEventType = "SESSION_STARTED" | "SESSION_REVOKED" | "ROLE_CHANGED" | "ACCOUNT_DISABLED";

export interface SessionEvent {
  type: SessionEventType;
  sessionId: string | null;
  at: string;
}

export interface WatchSessionEventsOptions {
  latchkey: LatchkeyClient;
  /**
   * graphql-ws's `createClient` (graphql-ws is an optional peer dependency: the app passes it
   * in, so apps that do not watch never load it).
   */
  createClient: (options: ClientOptions) => Client;
  /** The ws:// or wss:// URL of /graphql; on the app's own origin in cookie mode. */
  url: string;
  /** Every event, before the auth store hears of the end of the session. */
  onEvent?: (event: SessionEvent) => void;
  /** A WebSocket implementation outside browsers (e.g. the `ws` package). */
  webSocketImpl?: unknown;
}

const SESSION_EVENTS = "subscription SessionEvents { sessionEvents { type sessionId at } }";

/** Close codes the server uses (docs/api.md, "Live session events"). */
const TOKEN_EXPIRED = 4401;
const SESSION_ENDED = 4403;

/**
 * Follows the signed-in session's events over WebSocket (the server's `sessionEvents`), so an
 * app signs out at once on every tab and device when its session ends elsewhere: on
 * SESSION_REVOKED or ACCOUNT_DISABLED the auth store signs out ("sessionRevoked"). When the
 * access token the socket was opened with expires (close 4401), the socket opens again after the
 * app's next refresh or sign-in (watching alone never renews a session). In cookie mode the browser sends the lk_access cookie with the
 * upgrade; in bearer mode the access token goes in connectionParams. Returns a stop function.
 */
export function watchSessionEvents(options: WatchSessionEventsOptions): () => void {
  const { latchkey } = options;
  let stopped = false;
  let client: Client | undefined;
  let unsubscribe: (() => void) | undefined;
  let generations = 0;

  const close = () => {
    unsubscribe?.();
    unsubscribe = undefined;
    void client?.dispose();
    client = undefined;
  };

  const ended = () => {
    stopped = true;
    close();
    latchkey.store.signOut("sessionRevoked");
  };

  // Watching does not keep a session alive by itself: after the access token expired, the
  // socket opens again only once the app's own requests have renewed the session (the idle
  // timeout still ends a session nobody uses).
  let waiting: Array<() => void> = [];
  const stopWaiting = () => {
    for (const off of waiting) off();
    waiting = [];
  };
  // The refreshes settled when the current socket opened: one since means fresher credentials.
  let refreshesAtOpen = latchkey.refresher.generation();
  const resumeAfterRefresh = () => {
    if (latchkey.refresher.generation() !== refreshesAtOpen) return start();
    const resume = () => {
      stopWaiting();
      start();
    };
    waiting = [
      latchkey.store.on("refreshed", resume),
      latchkey.store.on("signedIn", resume),
      latchkey.store.on("signedOut", () => {
        stopWaiting();
        stopped = true;
      }),
    ];
  };

  const recover = (error: unknown) => {
    generations++;
    close();
    if (stopped) return;
    const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
    if (code === TOKEN_EXPIRED) return resumeAfterRefresh();
    if (code === SESSION_ENDED) return ended();
    // Anything else (the network, UNAUTHENTICATED after a sign-out elsewhere): stop watching;
    // the next request finds out how things stand.
  };

  const start = () => {
    if (stopped) return;
    // Callbacks of a socket this watch has since replaced are ignored.
    const generation = ++generations;
    refreshesAtOpen = latchkey.refresher.generation();
    const current = () => generation === generations && !stopped;
    client = options.createClient({
      url: options.url,
      lazy: true,
      retryAttempts: 5,
      webSocketImpl: options.webSocketImpl,
      connectionParams: () => {
        const token = latchkey.store.snapshot().accessToken;
        return token ? { authorization: `Bearer ${token}` } : {};
      },
      on: {
        // The server completes the subscription, then closes the socket with the reason's code.
        closed: (event) => {
          const code = (event as { code?: unknown }).code;
          if (current() && (code === TOKEN_EXPIRED || code === SESSION_ENDED)) recover({ code });
        },
      },
    });
    unsubscribe = client.subscribe<{ sessionEvents: SessionEvent }>(
      { query: SESSION_EVENTS },
      {
        next: ({ data }) => {
          const event = data?.sessionEvents;
          if (!event || !current()) return;
          options.onEvent?.(event);
          if (event.type === "SESSION_REVOKED" || event.type === "ACCOUNT_DISABLED") ended();
        },
        error: (error) => {
          if (current()) recover(error);
        },
        complete: () => undefined,
      },
    );
  };

  start();
  return () => {
    stopped = true;
    stopWaiting();
    close();
  };
}
