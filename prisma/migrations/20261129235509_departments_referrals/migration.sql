-- AlterTable
ALTER TABLE "Person" ADD COLUMN "department" TEXT;

-- AlterTable
ALTER TABLE "CaseStep" ADD COLUMN "referralEvent" TEXT;
ALTER TABLE "CaseStep" ADD COLUMN "referralId" INTEGER;

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN "department" TEXT;

-- AlterTable
ALTER TABLE "UserAccount" ADD COLUMN "department" TEXT;

-- CreateTable
CREATE TABLE "Referral" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reportId" INTEGER NOT NULL,
    "department" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'sent',
    "request" TEXT,
    "sentAt" DATETIME NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "acceptedAt" DATETIME,
    "answeredAt" DATETIME,
    "feedback" TEXT,
    "returnedAt" DATETIME,
    "returnReason" TEXT,
    "escalations" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Referral_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Referral_department_state_idx" ON "Referral"("department", "state");

-- CreateIndex
CREATE INDEX "Referral_state_dueAt_idx" ON "Referral"("state", "dueAt");

-- CreateIndex
CREATE INDEX "Referral_reportId_idx" ON "Referral"("reportId");
