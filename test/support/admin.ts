import { randomBytes } from "node:crypto";
import type { TestServer } from "./test-server";
import { STRONG_PASSWORD, login, registerUser, type RegisteredUser } from "./accounts";

export const ADMIN_USERNAME = "root_admin";
export const ADMIN_PASSWORD = "bootstrap-admin-password-7";
/** startTestServer env that makes the server create its first ADMIN at start. */
export const ADMIN_ENV = { ADMIN_USERNAME, ADMIN_PASSWORD, ADMIN_EMAIL: "root@example.com" };

/** Signs in as the bootstrap ADMIN (the server must run with ADMIN_ENV). */
export async function adminToken(server: TestServer): Promise<string> {
  return (await login(server, ADMIN_USERNAME, ADMIN_PASSWORD)).accessToken;
}

/** A registered, signed-in account with the given role (set directly in the database). */
export async function signedInAs(
  server: TestServer,
  role: "USER" | "MODERATOR" | "ADMIN",
): Promise<{ user: RegisteredUser; token: string }> {
  const user = await registerUser(server);
  if (role !== "USER") await server.app.database.prisma.user.update({ where: { id: user.id }, data: { role } });
  return { user, token: (await login(server, user.username, STRONG_PASSWORD)).accessToken };
}

export interface SeedUser {
  username: string;
  email?: string | null;
  name?: string | null;
  role?: "USER" | "MODERATOR" | "ADMIN";
  emailVerified?: boolean;
  disabled?: boolean;
  deletedAt?: Date | null;
  createdAt?: Date;
  lastLoginAt?: Date | null;
}

/**
 * Inserts search subjects straight into the database (with their profiles): they are only
 * searched for, never signed in, so they skip the password hashing of sign-up.
 */
export async function seedUsers(server: TestServer, users: SeedUser[]): Promise<Array<{ id: string; username: string }>> {
  const prisma = server.app.database.prisma;
  const rows = users.map((user) => ({
    id: `00000000-0000-7000-8000-${randomBytes(6).toString("hex")}`,
    username: user.username,
    usernameNormalized: user.username.toLowerCase(),
    email: user.email ?? null,
    emailNormalized: user.email?.toLowerCase() ?? null,
    role: user.role ?? "USER",
    emailVerified: user.emailVerified ?? false,
    disabled: user.disabled ?? false,
    deletedAt: user.deletedAt ?? null,
    createdAt: user.createdAt ?? server.clock.now(),
    updatedAt: server.clock.now(),
    lastLoginAt: user.lastLoginAt ?? null,
  }));
  await prisma.$transaction([
    prisma.user.createMany({ data: rows }),
    prisma.profile.createMany({ data: rows.map((row, i) => ({ userId: row.id, name: users[i].name ?? null, updatedAt: row.updatedAt })) }),
  ]);
  return rows.map((row) => ({ id: row.id, username: row.username }));
}

export const SEARCH_USERS = /* GraphQL */ `
  query Search($filter: UserSearchFilter, $orderBy: UserOrder, $first: Int, $after: String) {
    searchUsers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id username email role disabled emailVerified createdAt lastLoginAt profile { name } } }
    }
  }
`;

export const AUDIT_LOG = /* GraphQL */ `
  query Audit($filter: AuditFilter, $first: Int, $after: String) {
    auditLog(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id type userId actorId ip userAgent metadata createdAt } }
    }
  }
`;
