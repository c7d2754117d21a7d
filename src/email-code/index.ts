// What email-code/ offers the other features; they import from here, not from its files.
export { createEmailCode } from "./create-email-code";
export { EmailCodeResolver } from "./email-code.resolver";
