-- AlterTable
ALTER TABLE "User" ADD COLUMN     "disabledReason" TEXT,
ADD COLUMN     "disabledUntil" TIMESTAMP(3);
