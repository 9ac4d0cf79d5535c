-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "wecomUserId" TEXT;

-- AlterTable
ALTER TABLE "ChatIdentity" ADD COLUMN     "unreachableAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "messageKey" TEXT,
ADD COLUMN     "params" JSONB,
ADD COLUMN     "waitingSince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "PlatformToken" (
    "account" TEXT NOT NULL,
    "accessToken" TEXT,
    "expiresAt" TIMESTAMP(3),
    "refreshOwner" TEXT,
    "refreshLeaseUntil" TIMESTAMP(3),
    "blockedUntil" TIMESTAMP(3),
    "refreshedAt" TIMESTAMP(3),

    CONSTRAINT "PlatformToken_pkey" PRIMARY KEY ("account")
);

-- CreateTable
CREATE TABLE "RateCount" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RateCount_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "RateCount_expiresAt_idx" ON "RateCount"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Person_wecomUserId_key" ON "Person"("wecomUserId");

-- CreateIndex
CREATE INDEX "InboxMessage_channel_botAccount_fromExternalId_receivedAt_idx" ON "InboxMessage"("channel", "botAccount", "fromExternalId", "receivedAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_botAccount_address_waitingSince_idx" ON "OutboxMessage"("channel", "botAccount", "address", "waitingSince");
