// What credentials/ offers the other features; they import from here, not from its files.
export { createCredentials } from "./create-credentials";
export type { CredentialService } from "./credential.service";
export { passwordColumns, passwordFromRow, passwordJoin } from "./credential.store";
export type { CurrentHash, PasswordRow } from "./credential.store";
export { PasswordChangeResolver } from "./password-change.resolver";
export { PasswordPolicyResolver } from "./password-policy.resolver";
export { SecretPasskeyResolver } from "./secret-passkey.resolver";
export type { SessionRevoker } from "./session-revoker";
