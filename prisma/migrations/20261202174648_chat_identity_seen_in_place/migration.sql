-- DropIndex
DROP INDEX "ChatIdentity_personId_lastSeenAt_idx";

-- CreateIndex
CREATE INDEX "ChatIdentity_personId_idx" ON "ChatIdentity"("personId");
