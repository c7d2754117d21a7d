import type { User } from "../generated/prisma/client";

/**
 * Whether an account is disabled at `now`. A ban with an end (disabledUntil) lifts itself once
 * that time has passed: the row keeps `disabled` until an ADMIN or the ban sweep clears it, but
 * every check reads it through here, with the clock, so sign-in works again at once and the
 * user reads as enabled. No extra read: the callers already hold the user row.
 */
export function isDisabledAt(user: Pick<User, "disabled" | "disabledUntil">, now: Date): boolean {
  return user.disabled && (user.disabledUntil === null || user.disabledUntil === undefined || user.disabledUntil.getTime() > now.getTime());
}
