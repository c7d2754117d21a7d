-- AlterTable
ALTER TABLE "OAuthClient" ADD COLUMN     "idTokenSigningAlg" TEXT;
