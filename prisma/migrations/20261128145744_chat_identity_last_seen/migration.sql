-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ChatIdentity" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "personId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "botAccount" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "displayName" TEXT,
    "boundAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ChatIdentity_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ChatIdentity" ("botAccount", "boundAt", "channel", "displayName", "externalId", "id", "personId") SELECT "botAccount", "boundAt", "channel", "displayName", "externalId", "id", "personId" FROM "ChatIdentity";
DROP TABLE "ChatIdentity";
ALTER TABLE "new_ChatIdentity" RENAME TO "ChatIdentity";
CREATE INDEX "ChatIdentity_personId_lastSeenAt_idx" ON "ChatIdentity"("personId", "lastSeenAt");
CREATE UNIQUE INDEX "ChatIdentity_channel_botAccount_externalId_key" ON "ChatIdentity"("channel", "botAccount", "externalId");
CREATE TABLE "new_InboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "botAccount" TEXT NOT NULL,
    "platformMessageId" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'message',
    "fromExternalId" TEXT NOT NULL,
    "fromName" TEXT,
    "roomExternalId" TEXT,
    "text" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "handledAt" DATETIME,
    "error" TEXT
);
INSERT INTO "new_InboxMessage" ("botAccount", "channel", "error", "fromExternalId", "fromName", "handledAt", "id", "platformMessageId", "receivedAt", "roomExternalId", "status", "text") SELECT "botAccount", "channel", "error", "fromExternalId", "fromName", "handledAt", "id", "platformMessageId", "receivedAt", "roomExternalId", "status", "text" FROM "InboxMessage";
DROP TABLE "InboxMessage";
ALTER TABLE "new_InboxMessage" RENAME TO "InboxMessage";
CREATE INDEX "InboxMessage_status_idx" ON "InboxMessage"("status");
CREATE UNIQUE INDEX "InboxMessage_channel_platformMessageId_key" ON "InboxMessage"("channel", "platformMessageId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
