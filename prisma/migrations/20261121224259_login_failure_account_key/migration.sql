-- DropIndex
DROP INDEX "LoginFailure_userId_createdAt_idx";

-- AlterTable
ALTER TABLE "LoginFailure" ADD COLUMN     "accountKey" TEXT NOT NULL,
ALTER COLUMN "userId" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "LoginFailure_accountKey_createdAt_idx" ON "LoginFailure"("accountKey", "createdAt");

-- CreateIndex
CREATE INDEX "LoginFailure_createdAt_idx" ON "LoginFailure"("createdAt");
