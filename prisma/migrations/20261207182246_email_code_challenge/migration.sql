-- CreateTable
CREATE TABLE "EmailCodeChallenge" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT,
    "addressHash" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "failedAttempts" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailCodeChallenge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EmailCodeChallenge_tokenHash_key" ON "EmailCodeChallenge"("tokenHash");

-- CreateIndex
CREATE INDEX "EmailCodeChallenge_addressHash_createdAt_idx" ON "EmailCodeChallenge"("addressHash", "createdAt");

-- CreateIndex
CREATE INDEX "EmailCodeChallenge_expiresAt_idx" ON "EmailCodeChallenge"("expiresAt");

-- AddForeignKey
ALTER TABLE "EmailCodeChallenge" ADD CONSTRAINT "EmailCodeChallenge_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
