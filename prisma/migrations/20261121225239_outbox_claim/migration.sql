-- AlterTable
ALTER TABLE "OutboxMail" ADD COLUMN     "claimToken" TEXT,
ADD COLUMN     "claimedUntil" TIMESTAMP(3),
ADD COLUMN     "loggedAt" TIMESTAMP(3);
