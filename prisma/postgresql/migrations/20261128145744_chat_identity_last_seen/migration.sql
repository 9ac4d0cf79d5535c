-- DropIndex
DROP INDEX "ChatIdentity_personId_idx";

-- AlterTable
ALTER TABLE "ChatIdentity" ADD COLUMN     "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "InboxMessage" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'message';

-- CreateIndex
CREATE INDEX "ChatIdentity_personId_lastSeenAt_idx" ON "ChatIdentity"("personId", "lastSeenAt");
