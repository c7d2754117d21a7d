import type { Logger } from "pino";
import type { Clock } from "../common/clock";
import type { Viewer } from "../graphql/viewer";
import { AuditEventType, type AuditEntry, type AuditEventListener } from "../audit";
import type { InvalidationBus } from "../sessions";
import type { AccountState } from "./live-connection";
import { DEFAULT_AFTER_MESSAGE_MS, SessionEventHub } from "./session-event-hub";
import { SessionEventsService } from "./session-events.service";

export interface SessionEventsFeatureDependencies {
  bus: InvalidationBus;
  clock: Clock;
  logger: Logger;
  viewerFor(token: string): Promise<Viewer | undefined>;
  readAccount(userId: string): Promise<AccountState | null>;
  activeSessionIds(userId: string): Promise<string[]>;
  /** SESSION_EVENTS_RECHECK_INTERVAL: each live check also runs this often without any message. */
  recheckIntervalMs: number;
  maxConnectionsPerSession: number;
}

/**
 * Live session events over the invalidation bus. `signIns` is an audit listener: a committed
 * sign-in (LOGIN_SUCCEEDED) is announced on the bus, so watchers of that account everywhere
 * see the new session.
 */
export function createSessionEvents(deps: SessionEventsFeatureDependencies) {
  const hub = new SessionEventHub(deps.bus, { afterMessageMs: DEFAULT_AFTER_MESSAGE_MS, intervalMs: deps.recheckIntervalMs });
  const sessionEvents = new SessionEventsService({
    hub,
    clock: deps.clock,
    logger: deps.logger,
    viewerFor: deps.viewerFor,
    readAccount: deps.readAccount,
    activeSessionIds: deps.activeSessionIds,
    maxConnectionsPerSession: deps.maxConnectionsPerSession,
  });
  const signIns: AuditEventListener = {
    eventRecorded: (entry: AuditEntry) => {
      if (entry.type === AuditEventType.LOGIN_SUCCEEDED && entry.userId) deps.bus.publish({ sessionsOf: entry.userId });
    },
  };
  return { sessionEvents, signIns };
}
