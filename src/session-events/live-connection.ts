import type { Logger } from "pino";
import type { Clock } from "../common/clock";
import type { Viewer } from "../graphql/viewer";
import { EventQueue } from "./event-queue";
import type { Watch } from "./session-event-hub";
import { SessionEventType, type SessionEvent } from "./session-event.types";

/** WebSocket close codes this server uses besides the protocol's own. */
export const CloseCode = {
  /** The access token expired (or never verified): reconnect with fresh credentials. */
  UNAUTHORIZED: 4401,
  /** The session was revoked or the account disabled; or a cookie came from a foreign origin. */
  FORBIDDEN: 4403,
  /** Too many connections for this session or address. */
  TOO_MANY: 4429,
} as const;

/** What the socket's owner (the WebSocket server) lets a connection do to its socket. */
export interface SocketControl {
  close(code: number, reason: string): void;
}

/** The account's state that userSessionEvents and the connection's own check read. */
export interface AccountState {
  role: string;
  disabled: boolean;
  deletedAt: Date | null;
}

export interface LiveConnectionDependencies {
  clock: Clock;
  logger: Logger;
  /** The viewer for the connection's token now (same checks as the HTTP context), or undefined. */
  viewerFor(token: string): Promise<Viewer | undefined>;
  readAccount(userId: string): Promise<AccountState | null>;
  /** Subscribes the connection's own check to messages about its session and user. */
  watch(keys: readonly string[], check: () => Promise<void>): Watch;
  onClosed(connection: LiveConnection): void;
}

/** Roles that may read other accounts' sessions (userSessionEvents). */
export const READER_ROLES: readonly string[] = ["MODERATOR", "ADMIN"];

/**
 * One signed-in WebSocket connection: its viewer (kept current), the sessionEvents
 * subscriptions it carries, and the check that ends it when its session or account does.
 */
export class LiveConnection {
  private readonly own = new Set<EventQueue<SessionEvent>>();
  private readonly others = new Set<{ queue: EventQueue<SessionEvent>; stop: () => void }>();
  private readonly ownWatch: Watch;
  private readonly expiry: NodeJS.Timeout;
  private closing = false;

  constructor(
    public viewer: Viewer,
    private readonly token: string,
    private readonly socket: SocketControl,
    private readonly deps: LiveConnectionDependencies,
    sessionKey: string,
    userKey: string,
  ) {
    this.ownWatch = deps.watch([sessionKey, userKey], () => this.check());
    // An access token is good until its exp and no longer: the client reconnects with a fresh one.
    const left = Math.max(0, viewer.tokenExpiresAt.getTime() - deps.clock.now().getTime());
    this.expiry = setTimeout(() => this.end(CloseCode.UNAUTHORIZED, "Access token expired"), Math.min(left, 2 ** 31 - 1));
    this.expiry.unref();
  }

  /** Closed or closing: takes no more subscriptions. */
  get ended(): boolean {
    return this.closing;
  }

  get sessionId(): string {
    return this.viewer.sessionId;
  }

  /** A sessionEvents subscription: events about this connection's own session and account. */
  ownEvents(): AsyncIterableIterator<SessionEvent> {
    const queue: EventQueue<SessionEvent> = new EventQueue(() => this.own.delete(queue));
    this.own.add(queue);
    return queue;
  }

  /** A userSessionEvents subscription; `stop` is called when it ends. */
  addOthers(queue: EventQueue<SessionEvent>, stop: () => void): void {
    const entry = { queue, stop };
    this.others.add(entry);
    void queue.whenFinished().then(() => {
      this.others.delete(entry);
      stop();
    });
  }

  /** The socket closed (whichever side closed it). */
  closed(): void {
    this.closing = true;
    clearTimeout(this.expiry);
    this.ownWatch.stop();
    for (const queue of [...this.own]) queue.return();
    for (const { queue } of [...this.others]) queue.return();
    this.deps.onClosed(this);
  }

  /** Reads the session and account again; reports and acts on what changed. */
  private async check(): Promise<void> {
    if (this.closing) return;
    const now = this.deps.clock.now();
    if (this.viewer.tokenExpiresAt.getTime() <= now.getTime()) return this.end(CloseCode.UNAUTHORIZED, "Access token expired");
    const current = await this.deps.viewerFor(this.token);
    if (this.closing) return;
    if (!current) {
      const account = await this.deps.readAccount(this.viewer.user.id);
      const type = !account || account.disabled || account.deletedAt ? SessionEventType.ACCOUNT_DISABLED : SessionEventType.SESSION_REVOKED;
      this.emit({ type, sessionId: this.sessionId, at: this.deps.clock.now() });
      return this.end(CloseCode.FORBIDDEN, type === SessionEventType.ACCOUNT_DISABLED ? "Account disabled" : "Session revoked");
    }
    const previousRole = this.viewer.user.role;
    this.viewer = current;
    if (current.user.role === previousRole) return;
    this.emit({ type: SessionEventType.ROLE_CHANGED, sessionId: this.sessionId, at: this.deps.clock.now() });
    // A role that may no longer read other accounts ends the subscriptions that do.
    if (!READER_ROLES.includes(current.user.role) && this.others.size > 0) this.end(CloseCode.FORBIDDEN, "Role changed");
  }

  private emit(event: SessionEvent): void {
    for (const queue of this.own) queue.push(event);
  }

  /**
   * Lets the connection send what is queued (the event), then closes the socket with `code`:
   * the subscriptions end with the socket, so a client sees the close code as their error.
   */
  private end(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.deps.logger.debug({ sessionId: this.sessionId, code }, code === CloseCode.UNAUTHORIZED ? "WebSocket closed for an expired token" : "WebSocket closed: the session ended");
    clearTimeout(this.expiry);
    this.ownWatch.stop();
    const queues = [...this.own, ...[...this.others].map((entry) => entry.queue)];
    const sent = Promise.all(queues.map((queue) => queue.whenDrained()));
    const bounded = new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref());
    // The reader asked for more: what it took has been handed to the socket, which sends in order.
    void Promise.race([sent, bounded]).then(() => setImmediate(() => this.socket.close(code, reason)));
  }
}
