import { Errors } from "../common/app-error";

export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,32}$/;
// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is proven by verification.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function normalizeUsername(username: string): string {
  return username.toLowerCase();
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function assertValidUsername(username: string, field = "username"): void {
  if (!USERNAME_PATTERN.test(username)) {
    throw Errors.badInput(field, "Username must be 3 to 32 characters: letters, digits, '.', '_' or '-'");
  }
}

export function assertValidEmail(email: string, field = "email"): void {
  if (email.length > 254 || !EMAIL_PATTERN.test(email.trim())) {
    throw Errors.badInput(field, "E-mail address is not valid");
  }
}

/** How a sign-in identifier is looked up: an e-mail has an @, a user id is a UUID (longer than any username). */
export function identifierKind(identifier: string): "email" | "id" | "username" {
  if (identifier.includes("@")) return "email";
  if (UUID_PATTERN.test(identifier)) return "id";
  return "username";
}
