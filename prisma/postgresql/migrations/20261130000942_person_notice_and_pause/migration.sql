-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "noticeAt" TIMESTAMP(3),
ADD COLUMN     "noticeVersion" INTEGER,
ADD COLUMN     "promptsPausedUntil" TIMESTAMP(3);
