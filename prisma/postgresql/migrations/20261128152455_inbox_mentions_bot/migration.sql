-- AlterTable
ALTER TABLE "InboxMessage" ADD COLUMN     "mentionsBot" BOOLEAN NOT NULL DEFAULT false;
