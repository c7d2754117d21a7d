-- DropIndex
DROP INDEX "User_emailNormalized_key";

-- AlterTable
ALTER TABLE "OAuthFlow" ADD COLUMN     "bindingHash" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "emailVerifiedAt" TIMESTAMP(3);

-- Backfill: a verified address was proven at its latest EMAIL_VERIFIED event, else (a provider
-- vouched for it at sign-up, or the event was pruned) when the account was created.
UPDATE "User" u SET "emailVerifiedAt" = COALESCE(
  (SELECT max(a."createdAt") FROM "AuditEvent" a WHERE a."userId" = u.id AND a.type = 'EMAIL_VERIFIED'),
  u."createdAt")
WHERE u."emailVerified";

-- CreateIndex
CREATE INDEX "User_emailNormalized_idx" ON "User"("emailNormalized");

-- CreateIndex
CREATE UNIQUE INDEX "User_emailNormalized_verified_key" ON "User"("emailNormalized") WHERE ("emailVerified");
