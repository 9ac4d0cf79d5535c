-- AlterTable
ALTER TABLE "Child" ADD COLUMN "anonymisedAt" DATETIME;
