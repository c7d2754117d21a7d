import { Prisma } from "../generated/prisma/client";

/**
 * Every User column, from a table aliased `u`, in the shape Prisma returns a User, for the
 * hot-path statements that load a user together with other rows in one round trip.
 */
export const USER_COLUMNS = Prisma.sql`u.id, u.username, u."usernameNormalized", u.email, u."emailNormalized", u."emailVerified", u."pendingEmail", u."emailVerifiedAt",
  u.role::text AS role, u.disabled, u."deletedAt", u."avatarExt", u."avatarVersion", u."externalAvatarUrl", u."lastLoginAt",
  u."createdAt", u."updatedAt"`;
