-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "archivedAt" TIMESTAMP(3);
