// What audit/ offers the other features; they import from here, not from its files.
export { AuditResolver } from "./audit.resolver";
export { AuditEventType } from "./audit.service";
export type { AuditEntry, AuditEventListener, AuditOrigin, AuditService, AuditStatementListener } from "./audit.service";
export { createAudit } from "./create-audit";
