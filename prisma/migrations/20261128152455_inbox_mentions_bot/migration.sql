-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_InboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "botAccount" TEXT NOT NULL,
    "platformMessageId" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'message',
    "fromExternalId" TEXT NOT NULL,
    "fromName" TEXT,
    "roomExternalId" TEXT,
    "mentionsBot" BOOLEAN NOT NULL DEFAULT false,
    "text" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "handledAt" DATETIME,
    "error" TEXT
);
INSERT INTO "new_InboxMessage" ("botAccount", "channel", "error", "fromExternalId", "fromName", "handledAt", "id", "kind", "platformMessageId", "receivedAt", "roomExternalId", "status", "text") SELECT "botAccount", "channel", "error", "fromExternalId", "fromName", "handledAt", "id", "kind", "platformMessageId", "receivedAt", "roomExternalId", "status", "text" FROM "InboxMessage";
DROP TABLE "InboxMessage";
ALTER TABLE "new_InboxMessage" RENAME TO "InboxMessage";
CREATE INDEX "InboxMessage_status_idx" ON "InboxMessage"("status");
CREATE UNIQUE INDEX "InboxMessage_channel_platformMessageId_key" ON "InboxMessage"("channel", "platformMessageId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
