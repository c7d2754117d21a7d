import type { Logger } from "pino";
import type { Clock } from "../common/clock";
import { Errors } from "../common/app-error";
import type { Viewer } from "../graphql/viewer";
import { EventQueue } from "./event-queue";
import { LiveConnection, READER_ROLES, type AccountState, type SocketControl } from "./live-connection";
import { sessionKey, userKey, type SessionEventHub } from "./session-event-hub";
import { SessionEventType, type SessionEvent } from "./session-event.types";

export interface SessionEventsDependencies {
  hub: SessionEventHub;
  clock: Clock;
  logger: Logger;
  /** The same door as HTTP's context builder: the JWT verifies, then its session, user and jti pass the database checks. */
  viewerFor(token: string): Promise<Viewer | undefined>;
  readAccount(userId: string): Promise<AccountState | null>;
  /** The ids of the user's sessions that can still be used. */
  activeSessionIds(userId: string): Promise<string[]>;
  /** Connections one session may hold at once. */
  maxConnectionsPerSession: number;
}

/**
 * Live session events: sessionEvents for a connection's own session, userSessionEvents for the
 * sessions of an account a MODERATOR or ADMIN is looking at. What is pushed is read from the
 * database after the invalidation bus says something changed (see SessionEventHub).
 */
export class SessionEventsService {
  private readonly perSession = new Map<string, number>();

  constructor(private readonly deps: SessionEventsDependencies) {}

  /** The viewer a connection's token stands for, or undefined. */
  authenticate(token: string): Promise<Viewer | undefined> {
    return this.deps.viewerFor(token);
  }

  /** A signed-in connection; null when its session already holds as many as it may. */
  connect(viewer: Viewer, token: string, socket: SocketControl): LiveConnection | null {
    const held = this.perSession.get(viewer.sessionId) ?? 0;
    if (held >= this.deps.maxConnectionsPerSession) return null;
    this.perSession.set(viewer.sessionId, held + 1);
    return new LiveConnection(
      viewer,
      token,
      socket,
      {
        clock: this.deps.clock,
        logger: this.deps.logger,
        viewerFor: (t) => this.deps.viewerFor(t),
        readAccount: (userId) => this.deps.readAccount(userId),
        watch: (keys, check) => this.deps.hub.watch(keys, check),
        onClosed: (connection) => this.release(connection.sessionId),
      },
      sessionKey(viewer.sessionId),
      userKey(viewer.user.id),
    );
  }

  /** sessionEvents: needs a signed-in connection. */
  sessionEvents(viewer: Viewer | undefined, connection: unknown): AsyncIterableIterator<SessionEvent> {
    if (!viewer || !(connection instanceof LiveConnection)) throw Errors.unauthenticated();
    const events = connection.ownEvents();
    this.deps.logger.debug({ subscription: "sessionEvents", sessionId: connection.sessionId }, "live subscription started");
    return events;
  }

  /** userSessionEvents: a MODERATOR or ADMIN connection, about an existing account. */
  async userSessionEvents(viewer: Viewer | undefined, connection: unknown, userId: string): Promise<AsyncIterableIterator<SessionEvent>> {
    if (!viewer || !(connection instanceof LiveConnection)) throw Errors.unauthenticated();
    if (!READER_ROLES.includes(connection.viewer.user.role)) throw Errors.forbidden();
    if (!(await this.deps.readAccount(userId))) throw Errors.notFound("No such user");
    let known = new Set<string>();
    let state: AccountState = { role: "", disabled: false, deletedAt: null };
    const queue = new EventQueue<SessionEvent>(() => undefined);
    // Watched before the first read: a change committed meanwhile is seen by a later check.
    let snapshot: Promise<void> = Promise.resolve();
    const check = async () => {
      await snapshot;
      const [now, ids] = await Promise.all([this.deps.readAccount(userId), this.deps.activeSessionIds(userId)]);
      const at = this.deps.clock.now();
      const current = new Set(ids);
      for (const id of current) if (!known.has(id)) queue.push({ type: SessionEventType.SESSION_STARTED, sessionId: id, at });
      for (const id of known) if (!current.has(id)) queue.push({ type: SessionEventType.SESSION_REVOKED, sessionId: id, at });
      known = current;
      if (now && now.role !== state.role) queue.push({ type: SessionEventType.ROLE_CHANGED, sessionId: null, at });
      const wasOff = state.disabled || state.deletedAt !== null;
      const isOff = !now || now.disabled || now.deletedAt !== null;
      if (isOff && !wasOff) queue.push({ type: SessionEventType.ACCOUNT_DISABLED, sessionId: null, at });
      state = now ?? { ...state, deletedAt: state.deletedAt ?? at };
    };
    const watch = this.deps.hub.watch([userKey(userId)], check);
    snapshot = Promise.all([this.deps.readAccount(userId), this.deps.activeSessionIds(userId)]).then(([account, ids]) => {
      known = new Set(ids);
      if (account) state = account;
    });
    try {
      await snapshot;
    } catch (error) {
      watch.stop();
      throw error;
    }
    if (connection.ended) {
      watch.stop();
      throw Errors.unauthenticated();
    }
    connection.addOthers(queue, () => watch.stop());
    this.deps.logger.debug({ subscription: "userSessionEvents", userId, sessionId: connection.sessionId }, "live subscription started");
    return queue;
  }

  /** Stops every check (the process is shutting down; the sockets are being closed). */
  close(): void {
    this.deps.hub.close();
  }

  private release(sessionId: string): void {
    const held = (this.perSession.get(sessionId) ?? 1) - 1;
    if (held <= 0) this.perSession.delete(sessionId);
    else this.perSession.set(sessionId, held);
  }
}
