import { Errors } from "../common/app-error";
import type { OrganizationRole } from "../generated/prisma/enums";
import type { User } from "../generated/prisma/client";
import type { AuditOrigin } from "../audit";

/** Who acts on an organization, and from where (for the audit trail). */
export interface OrganizationActor {
  user: User;
  origin: AuditOrigin;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,46})[a-z0-9]$/;

/** a-z, 0-9 and -, 3 to 48 characters, neither starting nor ending with -. */
export function assertValidSlug(slug: string): void {
  if (typeof slug !== "string" || !SLUG.test(slug)) {
    throw Errors.badInput("slug", "The slug must be 3 to 48 characters of a-z, 0-9 and -, neither starting nor ending with -");
  }
}

export function cleanName(name: string): string {
  const value = typeof name === "string" ? name.trim() : "";
  if (value.length < 1 || value.length > 100 || [...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) {
    throw Errors.badInput("name", "The name must be 1 to 100 characters, without control characters");
  }
  return value;
}

/** OWNER and ADMIN manage members and invitations. */
export function manages(role: OrganizationRole | null | undefined): boolean {
  return role === "OWNER" || role === "ADMIN";
}
