-- AlterTable
ALTER TABLE "Report" ADD COLUMN "archivedAt" DATETIME;
