// What mfa/ offers the other features; they import from here, not from its files.
export { createMfa } from "./create-mfa";
export { TwoFactorEnrollmentResolver } from "./two-factor-enrollment.resolver";
export { TwoFactorLoginResolver } from "./two-factor-login.resolver";
export { TwoFactorLoginService } from "./two-factor-login.service";
export { TwoFactorSettingsResolver } from "./two-factor-settings.resolver";
export { TwoFactorStore } from "./two-factor.store";
