-- AlterTable
ALTER TABLE "Person" ADD COLUMN "noticeAt" DATETIME;
ALTER TABLE "Person" ADD COLUMN "noticeVersion" INTEGER;
ALTER TABLE "Person" ADD COLUMN "promptsPausedUntil" DATETIME;
