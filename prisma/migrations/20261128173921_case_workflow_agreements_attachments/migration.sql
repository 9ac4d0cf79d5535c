-- AlterTable
ALTER TABLE "InboxMessage" ADD COLUMN "attachmentKind" TEXT;
ALTER TABLE "InboxMessage" ADD COLUMN "attachmentMime" TEXT;
ALTER TABLE "InboxMessage" ADD COLUMN "attachmentPath" TEXT;
ALTER TABLE "InboxMessage" ADD COLUMN "attachmentSha256" TEXT;
ALTER TABLE "InboxMessage" ADD COLUMN "attachmentSize" INTEGER;
ALTER TABLE "InboxMessage" ADD COLUMN "fromTag" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_GuardianshipAgreement" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "childId" INTEGER NOT NULL,
    "parentId" INTEGER NOT NULL,
    "guardianId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "relation" TEXT,
    "guardianAge" INTEGER,
    "guardianHealth" TEXT,
    "guardianWilling" BOOLEAN,
    "capacityLevel" TEXT,
    "capacityNote" TEXT,
    "weeklyContactDuty" BOOLEAN NOT NULL DEFAULT true,
    "requestedById" INTEGER,
    "approvedById" INTEGER,
    "approvedAt" DATETIME,
    "validFrom" TEXT,
    "validUntil" TEXT,
    "expiryRemindedAt" DATETIME,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "GuardianshipAgreement_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "GuardianshipAgreement_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "GuardianshipAgreement_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "GuardianshipAgreement_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "GuardianshipAgreement_approvedById_fkey" FOREIGN KEY ("approvedById") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_GuardianshipAgreement" ("approvedAt", "approvedById", "childId", "createdAt", "guardianId", "id", "note", "parentId", "status", "updatedAt", "validFrom", "validUntil") SELECT "approvedAt", "approvedById", "childId", "createdAt", "guardianId", "id", "note", "parentId", "status", "updatedAt", "validFrom", "validUntil" FROM "GuardianshipAgreement";
DROP TABLE "GuardianshipAgreement";
ALTER TABLE "new_GuardianshipAgreement" RENAME TO "GuardianshipAgreement";
CREATE INDEX "GuardianshipAgreement_childId_status_idx" ON "GuardianshipAgreement"("childId", "status");
CREATE INDEX "GuardianshipAgreement_status_validUntil_idx" ON "GuardianshipAgreement"("status", "validUntil");
CREATE TABLE "new_Report" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "childId" INTEGER,
    "subjectName" TEXT,
    "areaId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'reported',
    "suspected" BOOLEAN NOT NULL DEFAULT false,
    "description" TEXT NOT NULL,
    "actionsTaken" TEXT,
    "source" TEXT NOT NULL,
    "reporterId" INTEGER,
    "department" TEXT,
    "dueAt" DATETIME,
    "stateSince" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "escalations" INTEGER NOT NULL DEFAULT 0,
    "reportedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Report_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Report_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Report_reporterId_fkey" FOREIGN KEY ("reporterId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Report" ("actionsTaken", "areaId", "childId", "closedAt", "department", "description", "dueAt", "escalations", "id", "number", "reportedAt", "reporterId", "severity", "source", "state", "subjectName", "suspected", "type", "updatedAt") SELECT "actionsTaken", "areaId", "childId", "closedAt", "department", "description", "dueAt", "escalations", "id", "number", "reportedAt", "reporterId", "severity", "source", "state", "subjectName", "suspected", "type", "updatedAt" FROM "Report";
DROP TABLE "Report";
ALTER TABLE "new_Report" RENAME TO "Report";
CREATE UNIQUE INDEX "Report_number_key" ON "Report"("number");
CREATE INDEX "Report_areaId_state_idx" ON "Report"("areaId", "state");
CREATE INDEX "Report_state_dueAt_idx" ON "Report"("state", "dueAt");
CREATE INDEX "Report_childId_idx" ON "Report"("childId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "AuditLog_action_at_idx" ON "AuditLog"("action", "at");
