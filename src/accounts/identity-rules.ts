import { Errors } from "../common/app-error";
import { canonicalEmail, emailLookupKey } from "./email-address";

export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,32}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function normalizeUsername(username: string): string {
  return username.toLowerCase();
}

/** The comparison form of an address (email-address.ts); "" for input that is no valid address. */
export function normalizeEmail(email: string): string {
  return emailLookupKey(email);
}

export function assertValidUsername(username: string, field = "username"): void {
  if (!USERNAME_PATTERN.test(username)) {
    throw Errors.badInput(field, "Username must be 3 to 32 characters: letters, digits, '.', '_' or '-'");
  }
}

/** The address as it is stored and mailed (email-address.ts), or BAD_USER_INPUT. */
export function assertValidEmail(email: string, field = "email"): string {
  return canonicalEmail(email, field).address;
}

/** How a sign-in identifier is looked up: an e-mail has an @, a user id is a UUID (longer than any username). */
export function identifierKind(identifier: string): "email" | "id" | "username" {
  if (identifier.includes("@")) return "email";
  if (UUID_PATTERN.test(identifier)) return "id";
  return "username";
}
