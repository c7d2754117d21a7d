-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "authenticatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "passkeyId" TEXT;

-- Existing sessions last proved who they are when they signed in.
UPDATE "Session" SET "authenticatedAt" = "createdAt";
