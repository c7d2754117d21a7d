import { Errors } from "../common/app-error";
import type { OrganizationRole } from "../generated/prisma/enums";

const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,46})[a-z0-9]$/;

/** a-z, 0-9 and -, 3 to 48 characters, neither starting nor ending with -. */
export function assertValidSlug(slug: string): void {
  if (typeof slug !== "string" || !SLUG.test(slug)) {
    throw Errors.badInput("slug", "The slug must be 3 to 48 characters of a-z, 0-9 and -, neither starting nor ending with -");
  }
}

export function cleanName(name: string): string {
  const value = typeof name === "string" ? name.trim() : "";
  if (value.length < 1 || value.length > 100 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw Errors.badInput("name", "The name must be 1 to 100 characters, without control characters");
  }
  return value;
}

/** OWNER and ADMIN manage members and invitations. */
export function manages(role: OrganizationRole | null | undefined): boolean {
  return role === "OWNER" || role === "ADMIN";
}
