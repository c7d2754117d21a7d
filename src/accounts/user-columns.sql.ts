import { Prisma } from "../generated/prisma/client";
import type { NoticeRecipientSql } from "../notices/notice-mail.store";

/**
 * Every User column, from a table aliased `u`, in the shape Prisma returns a User, for the
 * hot-path statements that load a user together with other rows in one round trip.
 */
export const USER_COLUMNS = Prisma.sql`u.id, u.username, u."usernameNormalized", u.email, u."emailNormalized", u."emailVerified", u."pendingEmail", u."emailVerifiedAt",
  u.role::text AS role, u.disabled, u."deletedAt", u."avatarExt", u."avatarVersion", u."externalAvatarUrl", u."lastLoginAt",
  u."createdAt", u."updatedAt"`;

/** The account a security notice goes to, as parts of the notice's statement (notices/). */
export const NOTICE_RECIPIENT_SQL: NoticeRecipientSql = {
  verifiedAccount: (userId, when) =>
    Prisma.sql`FROM "User" u WHERE u.id = ${userId} AND u."emailVerified" AND u.email IS NOT NULL AND u."deletedAt" IS NULL AND ${when}`,
  email: Prisma.sql`u.email`,
  username: Prisma.sql`u.username`,
  pendingEmail: Prisma.sql`u."pendingEmail"`,
};
