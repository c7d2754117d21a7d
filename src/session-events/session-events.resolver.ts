import { Arg, ID, Resolver, Root, Subscription } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { SessionEvent } from "./session-event.types";

/**
 * Live session events, served over WebSocket only (graphql-ws, the graphql-transport-ws
 * protocol) at /graphql. Over HTTP every subscription is refused at validation.
 */
@Resolver()
export class SessionEventsResolver {
  @Subscription(() => SessionEvent, {
    description:
      "Events about the connection's own session and account, as soon as they are committed: SESSION_REVOKED (this session ended anywhere: logout, logoutAllSessions, an ADMIN's revocation, a password reset, a removed passkey...), ROLE_CHANGED and ACCOUNT_DISABLED. After SESSION_REVOKED or ACCOUNT_DISABLED the connection closes with code 4403; when the access token it was opened with expires it closes with 4401 (reconnect with a fresh token). Needs a signed-in connection (UNAUTHENTICATED otherwise).",
    subscribe: ({ context }: { context: GraphQLContext }) => context.services.sessionEvents.sessionEvents(context.viewer, context.connection),
  })
  sessionEvents(@Root() event: SessionEvent): SessionEvent {
    return event;
  }

  @Subscription(() => SessionEvent, {
    description:
      "Events about one account's sessions, for MODERATOR and ADMIN (FORBIDDEN otherwise): each session that starts or ends, role changes and the account being disabled or deleted. NOT_FOUND for an unknown account.",
    subscribe: ({ args, context }: { args: { userId: string }; context: GraphQLContext }) =>
      context.services.sessionEvents.userSessionEvents(context.viewer, context.connection, args.userId),
  })
  userSessionEvents(
    @Root() event: SessionEvent,
    @Arg("userId", () => ID, { description: "The account whose sessions are watched." }) _userId: string,
  ): SessionEvent {
    return event;
  }
}
