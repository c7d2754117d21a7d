import type { PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { AuditEventStore } from "./audit-event.store";
import { AuditQueryService } from "./audit-query.service";
import { AuditRetention } from "./audit-retention";
import { AuditService, type AuditEventListener, type AuditStatementListener, type UserChangeListener } from "./audit.service";

export interface AuditFeatureDependencies {
  prisma: PrismaClient;
  clock: Clock;
  /** AUDIT_RETENTION; 0 keeps events for ever. */
  retentionMs: number;
  /** CTEs written with every event, in this order (webhook deliveries, security notices). */
  statementListeners: readonly AuditStatementListener[];
  /** Told of users whose events change what requests read about them (the session cache). */
  userChangeListeners: readonly UserChangeListener[];
  /** Told of every event once it committed (live session events). */
  eventListeners?: readonly AuditEventListener[];
}

/** The audit trail: the writer every feature records through, its reader and its pruning. */
export function createAudit(deps: AuditFeatureDependencies) {
  const store = new AuditEventStore(deps.prisma);
  const audit = new AuditService({
    store,
    clock: deps.clock,
    statementListeners: deps.statementListeners,
    userChangeListeners: deps.userChangeListeners,
    eventListeners: deps.eventListeners,
  });
  return {
    audit,
    auditLog: new AuditQueryService(store),
    auditRetention: new AuditRetention(store, deps.clock, deps.retentionMs),
  };
}
