// What recovery/ offers the other features; they import from here, not from its files.
export { createEmailVerification, createRecovery } from "./create-recovery";
export { RecoveryResolver } from "./recovery.resolver";
export type { PasswordResetService } from "./password-reset.service";
