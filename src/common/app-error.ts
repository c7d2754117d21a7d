/**
 * Every expected failure, with the contract's extensions.code. Services throw these; the
 * GraphQL layer turns them into errors. Messages never carry secrets or reveal accounts.
 */
export const ErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  RATE_LIMITED: "RATE_LIMITED",
  ACCOUNT_LOCKED: "ACCOUNT_LOCKED",
  TWO_FACTOR_REQUIRED: "TWO_FACTOR_REQUIRED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  PASSWORD_POLICY: "PASSWORD_POLICY",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const Errors = {
  unauthenticated: (message = "Authentication required") => new AppError(ErrorCode.UNAUTHENTICATED, message),
  invalidCredentials: () => new AppError(ErrorCode.UNAUTHENTICATED, "Invalid credentials"),
  forbidden: (message = "Not allowed", extensions: Record<string, unknown> = {}) =>
    new AppError(ErrorCode.FORBIDDEN, message, extensions),
  reauthenticationRequired: () =>
    new AppError(ErrorCode.FORBIDDEN, "This needs a recent sign-in: call reauthenticate first", { reason: "REAUTHENTICATION_REQUIRED" }),
  /** A session an ADMIN started as the user (impersonateUser) may not do this. */
  impersonationForbidden: () =>
    new AppError(ErrorCode.FORBIDDEN, "Not allowed in an impersonated session", { reason: "IMPERSONATION" }),
  /**
   * Only a caller who proved the account's secret gets this. A ban with an end says when it
   * ends (extensions.disabledUntil), never why: the reason is a note for MODERATORs and ADMINs.
   */
  accountDisabled: (until: Date | null = null) =>
    new AppError(ErrorCode.FORBIDDEN, "This account is disabled", { reason: "ACCOUNT_DISABLED", ...(until ? { disabledUntil: until.toISOString() } : {}) }),
  badInput: (field: string, message: string) => new AppError(ErrorCode.BAD_USER_INPUT, message, { field }),
  notFound: (message = "Not found") => new AppError(ErrorCode.NOT_FOUND, message),
  conflict: (field: string, message: string) => new AppError(ErrorCode.CONFLICT, message, { field }),
  lastAdmin: (message: string) => new AppError(ErrorCode.CONFLICT, message, { reason: "LAST_ADMIN" }),
  lastOwner: () => new AppError(ErrorCode.CONFLICT, "An organization keeps at least one OWNER: make another member OWNER first", { reason: "LAST_OWNER" }),
  passwordPolicy: (reasons: string[], message: string) =>
    new AppError(ErrorCode.PASSWORD_POLICY, message, { reasons }),
  /** The password rules, applied to a secret passkey: PASSWORD_POLICY naming the field. */
  secretPasskeyPolicy: (reasons: string[], message: string) =>
    new AppError(ErrorCode.PASSWORD_POLICY, message, { reasons, field: "secretPasskey" }),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(ErrorCode.RATE_LIMITED, `Too many requests; retry in ${retryAfterSeconds} s`, { retryAfterSeconds }),
  accountLocked: (retryAfterSeconds: number) =>
    new AppError(ErrorCode.ACCOUNT_LOCKED, `Too many failed sign-ins; retry in ${retryAfterSeconds} s`, { retryAfterSeconds }),
  serviceUnavailable: (message = "A dependency is unavailable; retry later") =>
    new AppError(ErrorCode.SERVICE_UNAVAILABLE, message),
  /** An account whose address is a mere claim may not add ways in (passkeys, provider links). */
  emailNotVerified: (action: string) =>
    new AppError(ErrorCode.FORBIDDEN, `Verify your e-mail address before you ${action}`, { reason: "EMAIL_NOT_VERIFIED" }),
  invalidTwoFactorCode: () => new AppError(ErrorCode.UNAUTHENTICATED, "Invalid two-factor code"),
  invalidTwoFactorChallenge: () =>
    new AppError(ErrorCode.UNAUTHENTICATED, "Invalid or expired two-factor challenge; sign in again"),
  wrongTwoFactorCode: () => new AppError(ErrorCode.BAD_USER_INPUT, "The code is not valid", { field: "code" }),
  twoFactorAlreadyEnabled: () =>
    new AppError(ErrorCode.CONFLICT, "Two-factor authentication is already on; turn it off before enrolling again"),
  twoFactorNotEnabled: () => new AppError(ErrorCode.CONFLICT, "Two-factor authentication is not on"),
  noTwoFactorEnrollment: () =>
    new AppError(ErrorCode.CONFLICT, "No two-factor enrollment is in progress; begin one first"),
};
