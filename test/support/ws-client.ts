import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export interface Received {
  data?: any;
  errors?: Array<{ message: string; extensions?: Record<string, any> }>;
}

/** One subscription's messages, as they arrive. */
export interface Feed {
  results: Received[];
  /** Resolves with the n-th result (1-based), already received or still to come. */
  nth(n: number, timeoutMs?: number): Promise<Received>;
  /** Resolves when the server completed the subscription (or it failed). */
  done: Promise<void>;
  dispose(): void;
}

export interface WsClient {
  client: Client;
  /** Resolves with the close event's code and reason once the socket closed. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once the server acknowledged connection_init. */
  connected: Promise<void>;
  subscribe(query: string, variables?: Record<string, unknown>): Feed;
  dispose(): Promise<void>;
}

/** The ws:// URL of a server's /graphql. */
export const wsUrl = (baseUrl: string) => `${baseUrl.replace(/^http/, "ws")}/graphql`;

/**
 * A graphql-ws client (the protocol Apollo Client's GraphQLWsLink speaks) over the `ws`
 * package, connecting at once and never retrying, so a test sees exactly how the server
 * closed the socket. `headers` go on the upgrade request (Cookie, Origin).
 */
export function wsClient(baseUrl: string, options: { token?: string; connectionParams?: Record<string, unknown>; headers?: Record<string, string> } = {}): WsClient {
  const headers = options.headers ?? {};
  class HeaderSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  let onClosed!: (value: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  let onConnected!: () => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const client = createClient({
    url: wsUrl(baseUrl),
    webSocketImpl: HeaderSocket,
    lazy: false,
    retryAttempts: 0,
    shouldRetry: () => false,
    connectionParams: options.connectionParams ?? (options.token ? { authorization: `Bearer ${options.token}` } : undefined),
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const close = event as { code: number; reason: string | Buffer };
        onClosed({ code: close.code, reason: String(close.reason) });
      },
    },
    onNonLazyError: () => undefined,
  });
  return {
    client,
    closed,
    connected,
    subscribe(query, variables) {
      const results: Received[] = [];
      const waiters: Array<() => void> = [];
      let finish!: () => void;
      const done = new Promise<void>((resolve) => (finish = resolve));
      const wake = () => waiters.splice(0).forEach((waiter) => waiter());
      const dispose = client.subscribe(
        { query, variables },
        {
          next: (value) => {
            results.push(value as Received);
            wake();
          },
          error: (error) => {
            // The socket closing ends the subscription too: that is `closed`, not a result.
            const closeCode = typeof error === "object" && error !== null && "code" in error ? (error as { code: unknown }).code : undefined;
            if (typeof closeCode !== "number") {
              results.push(Array.isArray(error) ? { errors: error } : { errors: [{ message: String((error as Error)?.message ?? error) }] });
              wake();
            }
            finish();
          },
          complete: () => finish(),
        },
      );
      const nth = (n: number, timeoutMs = 10_000) =>
        new Promise<Received>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no result #${n} within ${timeoutMs} ms; got ${JSON.stringify(results)}`)), timeoutMs);
          const look = () => {
            if (results.length >= n) {
              clearTimeout(timer);
              resolve(results[n - 1]);
            } else waiters.push(look);
          };
          look();
        });
      return { results, nth, done, dispose };
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}
