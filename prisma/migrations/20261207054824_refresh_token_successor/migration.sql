-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN     "predecessorSeal" TEXT,
ADD COLUMN     "successorId" TEXT;
