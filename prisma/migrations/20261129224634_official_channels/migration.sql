-- AlterTable
ALTER TABLE "Person" ADD COLUMN "wecomUserId" TEXT;

-- AlterTable
ALTER TABLE "ChatIdentity" ADD COLUMN "unreachableAt" DATETIME;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "messageKey" TEXT;
ALTER TABLE "OutboxMessage" ADD COLUMN "params" JSONB;
ALTER TABLE "OutboxMessage" ADD COLUMN "waitingSince" DATETIME;

-- CreateTable
CREATE TABLE "PlatformToken" (
    "account" TEXT NOT NULL PRIMARY KEY,
    "accessToken" TEXT,
    "expiresAt" DATETIME,
    "refreshOwner" TEXT,
    "refreshLeaseUntil" DATETIME,
    "blockedUntil" DATETIME,
    "refreshedAt" DATETIME
);

-- CreateTable
CREATE TABLE "RateCount" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "count" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "RateCount_expiresAt_idx" ON "RateCount"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Person_wecomUserId_key" ON "Person"("wecomUserId");

-- CreateIndex
CREATE INDEX "InboxMessage_channel_botAccount_fromExternalId_receivedAt_idx" ON "InboxMessage"("channel", "botAccount", "fromExternalId", "receivedAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_botAccount_address_waitingSince_idx" ON "OutboxMessage"("channel", "botAccount", "address", "waitingSince");
