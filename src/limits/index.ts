// What limits/ offers the other features; they import from here, not from its files.
export { createLimits } from "./create-limits";
export { LoginLockoutService } from "./login-lockout.service";
export type { Attempt, AttemptVerdict, FailureCounts } from "./login-lockout.service";
export { RATE_LIMIT_RULES } from "./rate-limit-rules";
export { withRateLimits } from "./rate-limit.middleware";
