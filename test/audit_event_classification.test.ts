import { AuditService, AuditEventType, USER_CHANGING_EVENTS, type AuditEntry } from "../src/audit/audit.service";
import { CHANGES_USER } from "../src/audit/audit-event-types";
import type { AuditEventStore } from "../src/audit/audit-event.store";

// Which events invalidate a user's cached session state is a positive list: a new event type
// must be classified (changes the user or not) before it compiles, and before this passes.

const ALL_TYPES = Object.values(AuditEventType);

/** An AuditService whose statements go nowhere, telling `changed` of every user-change notice. */
function auditWithListener(changed: string[]): AuditService {
  const store = {
    client: {},
    insertPart: () => ({}),
    joinParts: () => ({}),
    writeParts: async () => {},
  } as unknown as AuditEventStore;
  return new AuditService({
    store,
    clock: { now: () => new Date() },
    userChangeListeners: [{ userChanged: (userId) => changed.push(userId) }],
  });
}

describe("audit event classification", () => {
  it("classifies every event type as changing its user or not", () => {
    expect(Object.keys(CHANGES_USER).sort()).toEqual([...ALL_TYPES].sort());
  });

  it("keeps events that change nothing a request reads off the user-changing list", () => {
    for (const type of ["REGISTERED", "LOGIN_SUCCEEDED", "LOGIN_FAILED", "ACCOUNT_LOCKED", "TWO_FACTOR_CHALLENGE_FAILED", "PASSKEY_COUNTER_REGRESSED", "REAUTHENTICATED", "REAUTHENTICATION_FAILED"] as const) {
      expect(USER_CHANGING_EVENTS.has(type)).toBe(false);
    }
    for (const type of ["PASSWORD_CHANGED", "ROLE_CHANGED", "USER_DISABLED", "ACCOUNT_DELETED", "SESSION_REVOKED", "TWO_FACTOR_ENABLED"] as const) {
      expect(USER_CHANGING_EVENTS.has(type)).toBe(true);
    }
  });

  it("tells the user-change listeners of exactly the user-changing events, once committed", async () => {
    for (const type of ALL_TYPES) {
      const changed: string[] = [];
      const entry: AuditEntry = { type, userId: "user-1", origin: { ip: null, userAgent: null } };
      await auditWithListener(changed).record(entry);
      expect({ type, told: changed }).toEqual({ type, told: USER_CHANGING_EVENTS.has(type) ? ["user-1"] : [] });
    }
  });

  it("tells no listener of an event about no user", async () => {
    const changed: string[] = [];
    await auditWithListener(changed).record({ type: AuditEventType.WEBHOOK_ENDPOINT_DISABLED, userId: null, origin: { ip: null, userAgent: null } });
    expect(changed).toEqual([]);
  });
});
