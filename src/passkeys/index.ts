// What passkeys/ offers the other features; they import from here, not from its files.
export { createPasskeys } from "./create-passkeys";
export { PasskeyResolver } from "./passkey.resolver";
export { PasskeyStore } from "./passkey.store";
export { PasskeysFieldResolver } from "./passkeys-field.resolver";
