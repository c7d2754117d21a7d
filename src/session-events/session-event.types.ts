import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { DateTime } from "../graphql/scalars";

/** What happened to a session or to the account it belongs to. */
export enum SessionEventType {
  SESSION_STARTED = "SESSION_STARTED",
  SESSION_REVOKED = "SESSION_REVOKED",
  ROLE_CHANGED = "ROLE_CHANGED",
  ACCOUNT_DISABLED = "ACCOUNT_DISABLED",
}

registerEnumType(SessionEventType, {
  name: "SessionEventType",
  description: "What a SessionEvent reports.",
  valuesConfig: {
    SESSION_STARTED: { description: "A sign-in started a new session for the account (userSessionEvents only)." },
    SESSION_REVOKED: {
      description:
        "A session ended before its time: a logout here or elsewhere, logoutAllSessions, a revocation by an ADMIN, a password reset or change, a removed passkey, an expired or idle session. For sessionEvents, the connection is closed (code 4403) right after this event.",
    },
    ROLE_CHANGED: { description: "The account's role changed; read `me` for the new one. Access tokens issued before still name the old role until they are refreshed." },
    ACCOUNT_DISABLED: {
      description: "The account was disabled (banned) or deleted. Its sessions no longer work; for sessionEvents, the connection is closed (code 4403) right after this event.",
    },
  },
});

@ObjectType({ description: "A change to a signed-in session or to its account, pushed over a subscription as soon as it is committed." })
export class SessionEvent {
  @Field(() => SessionEventType, { description: "What happened." })
  type!: SessionEventType;

  @Field(() => ID, {
    nullable: true,
    description: "The session it concerns (the sid claim of its access tokens): the session that started or ended; for ROLE_CHANGED and ACCOUNT_DISABLED on sessionEvents, the subscriber's own session; null for account-wide events on userSessionEvents.",
  })
  sessionId!: string | null;

  @Field(() => DateTime, { description: "When the server noticed the change (at most a few seconds after it was committed)." })
  at!: Date;
}
