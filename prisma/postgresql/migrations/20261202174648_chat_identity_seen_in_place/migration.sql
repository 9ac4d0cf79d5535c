-- DropIndex
DROP INDEX "ChatIdentity_personId_lastSeenAt_idx";

-- CreateIndex
CREATE INDEX "ChatIdentity_personId_idx" ON "ChatIdentity"("personId");

-- Every inbound message sets its sender's lastSeenAt. With no index on that column and room left
-- on each page, PostgreSQL rewrites the row in place (a HOT update): no new entry in the table's
-- three indexes and one page written instead of four. At 1,000,000 children those were random
-- pages, each a full-page image in the WAL after a checkpoint (BENCHMARKS.md, 2026-12-02 evening).
ALTER TABLE "ChatIdentity" SET (fillfactor = 90);
