import { Errors } from "../common/app-error";

export interface TokenLifetimes {
  /** ACCESS_TOKEN_TTL: what a sign-in gets when the caller names no lifetime. */
  defaultAccessTtlMs: number;
  /** ACCESS_TOKEN_MAX_TTL: the longest lifetime a caller may ask for. */
  maxAccessTtlMs: number;
}

/** The access-token lifetime of a sign-in: the configured default, or the caller's minutes within the maximum. */
export class TokenLifetimePolicy {
  constructor(private readonly lifetimes: TokenLifetimes) {}

  /** The access-token lifetime in seconds the caller asked for, within 1..maximum minutes. */
  accessLifetimeSeconds(expiresInMinutes: number | null | undefined): number {
    const maxMinutes = Math.floor(this.lifetimes.maxAccessTtlMs / 60_000);
    if (expiresInMinutes === null || expiresInMinutes === undefined) return Math.floor(this.lifetimes.defaultAccessTtlMs / 1000);
    if (!Number.isInteger(expiresInMinutes) || expiresInMinutes < 1 || expiresInMinutes > maxMinutes) {
      throw Errors.badInput("expiresInMinutes", `expiresInMinutes must be from 1 to ${maxMinutes}`);
    }
    return expiresInMinutes * 60;
  }
}
