-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "impersonatorId" TEXT;
