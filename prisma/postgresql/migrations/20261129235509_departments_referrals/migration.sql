-- CreateEnum
CREATE TYPE "ReferralState" AS ENUM ('sent', 'accepted', 'answered', 'returned');

-- CreateEnum
CREATE TYPE "ReferralEvent" AS ENUM ('accepted', 'progress', 'answered', 'returned');

-- AlterEnum
ALTER TYPE "ApiRole" ADD VALUE 'department';

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "department" "Department";

-- AlterTable
ALTER TABLE "CaseStep" ADD COLUMN     "referralEvent" "ReferralEvent",
ADD COLUMN     "referralId" INTEGER;

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "department" "Department";

-- AlterTable
ALTER TABLE "UserAccount" ADD COLUMN     "department" "Department";

-- CreateTable
CREATE TABLE "Referral" (
    "id" SERIAL NOT NULL,
    "reportId" INTEGER NOT NULL,
    "department" "Department" NOT NULL,
    "state" "ReferralState" NOT NULL DEFAULT 'sent',
    "request" TEXT,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "answeredAt" TIMESTAMP(3),
    "feedback" TEXT,
    "returnedAt" TIMESTAMP(3),
    "returnReason" TEXT,
    "escalations" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Referral_department_state_idx" ON "Referral"("department", "state");

-- CreateIndex
CREATE INDEX "Referral_state_dueAt_idx" ON "Referral"("state", "dueAt");

-- CreateIndex
CREATE INDEX "Referral_reportId_idx" ON "Referral"("reportId");

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;
