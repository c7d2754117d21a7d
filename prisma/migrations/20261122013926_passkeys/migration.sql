-- CreateEnum
CREATE TYPE "PasskeyCeremony" AS ENUM ('REGISTRATION', 'AUTHENTICATION');

-- AlterTable
ALTER TABLE "WebAuthnCredential" ADD COLUMN     "backedUp" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "backupEligible" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "PasskeyChallenge" (
    "id" TEXT NOT NULL,
    "ceremony" "PasskeyCeremony" NOT NULL,
    "lookupHash" TEXT NOT NULL,
    "challenge" TEXT NOT NULL,
    "userId" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PasskeyChallenge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PasskeyChallenge_lookupHash_key" ON "PasskeyChallenge"("lookupHash");

-- CreateIndex
CREATE INDEX "PasskeyChallenge_expiresAt_idx" ON "PasskeyChallenge"("expiresAt");

-- AddForeignKey
ALTER TABLE "PasskeyChallenge" ADD CONSTRAINT "PasskeyChallenge_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
