-- pg_trgm serves the case-insensitive substring search of searchUsers (GIN trigram indexes below).
-- PostgreSQL ships it as a contrib module, and the embedded PGlite loads it when it opens the database.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- DropIndex
DROP INDEX "AuditEvent_type_createdAt_idx";

-- CreateIndex
CREATE INDEX "AuditEvent_type_createdAt_id_idx" ON "AuditEvent"("type", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Profile_name_trgm_idx" ON "Profile" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "User_usernameNormalized_trgm_idx" ON "User" USING GIN ("usernameNormalized" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "User_emailNormalized_trgm_idx" ON "User" USING GIN ("emailNormalized" gin_trgm_ops);
