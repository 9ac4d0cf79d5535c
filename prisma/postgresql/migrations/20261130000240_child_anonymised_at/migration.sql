-- AlterTable
ALTER TABLE "Child" ADD COLUMN     "anonymisedAt" TIMESTAMP(3);
