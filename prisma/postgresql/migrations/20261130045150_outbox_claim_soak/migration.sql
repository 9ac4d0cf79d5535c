-- CreateIndex
CREATE INDEX "OutboxMessage_channel_botAccount_status_idx" ON "OutboxMessage"("channel", "botAccount", "status");
