-- CreateEnum
CREATE TYPE "GuardianshipCapacity" AS ENUM ('normal', 'insufficient', 'improper', 'absent');

-- AlterTable
ALTER TABLE "GuardianshipAgreement" DROP COLUMN "capacityAssessment",
ADD COLUMN     "capacityLevel" "GuardianshipCapacity",
ADD COLUMN     "capacityNote" TEXT,
ADD COLUMN     "expiryRemindedAt" TIMESTAMP(3),
ADD COLUMN     "guardianAge" INTEGER,
ADD COLUMN     "guardianHealth" TEXT,
ADD COLUMN     "guardianWilling" BOOLEAN,
ADD COLUMN     "relation" TEXT,
ADD COLUMN     "requestedById" INTEGER,
ADD COLUMN     "weeklyContactDuty" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "stateSince" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "InboxMessage" ADD COLUMN     "attachmentKind" TEXT,
ADD COLUMN     "attachmentMime" TEXT,
ADD COLUMN     "attachmentPath" TEXT,
ADD COLUMN     "attachmentSha256" TEXT,
ADD COLUMN     "attachmentSize" INTEGER,
ADD COLUMN     "fromTag" TEXT;

-- CreateIndex
CREATE INDEX "GuardianshipAgreement_status_validUntil_idx" ON "GuardianshipAgreement"("status", "validUntil");

-- CreateIndex
CREATE INDEX "AuditLog_action_at_idx" ON "AuditLog"("action", "at");

-- AddForeignKey
ALTER TABLE "GuardianshipAgreement" ADD CONSTRAINT "GuardianshipAgreement_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;
