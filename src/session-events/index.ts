// What session-events/ offers the composition root; features import from here, not from its files.
export { createSessionEvents } from "./create-session-events";
export { CloseCode, type LiveConnection } from "./live-connection";
export type { SessionEventsService } from "./session-events.service";
export { SessionEventsResolver } from "./session-events.resolver";
