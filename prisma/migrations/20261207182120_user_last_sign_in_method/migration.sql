-- CreateEnum
CREATE TYPE "SignInMethod" AS ENUM ('PASSWORD', 'PASSKEY', 'OAUTH', 'MAGIC_LINK', 'EMAIL_CODE');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "lastSignInMethod" "SignInMethod";
