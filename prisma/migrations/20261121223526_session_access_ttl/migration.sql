-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "accessTtlSeconds" INTEGER;
