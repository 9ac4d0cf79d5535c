-- CreateTable
CREATE TABLE "Area" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "parentId" INTEGER,
    "path" TEXT NOT NULL,
    "casePrefix" TEXT,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Area_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Area" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Child" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "areaId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "gender" TEXT,
    "birthDate" TEXT NOT NULL,
    "nationalIdCipher" TEXT,
    "nationalIdDigest" TEXT,
    "nationalIdMasked" TEXT,
    "schoolName" TEXT,
    "schoolStage" TEXT,
    "grade" TEXT,
    "familySituation" TEXT,
    "guardianshipStatus" TEXT,
    "healthStatus" TEXT,
    "leftBehind" BOOLEAN NOT NULL DEFAULT false,
    "leftBehindOverride" BOOLEAN,
    "leftBehindOverrideReason" TEXT,
    "riskLevel" TEXT,
    "recordConfirmedAt" DATETIME,
    "recordStale" BOOLEAN NOT NULL DEFAULT false,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "archivedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Child_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChildCategoryTag" (
    "childId" INTEGER NOT NULL,
    "category" TEXT NOT NULL,

    PRIMARY KEY ("childId", "category"),
    CONSTRAINT "ChildCategoryTag_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChildFocusFlag" (
    "childId" INTEGER NOT NULL,
    "flag" TEXT NOT NULL,

    PRIMARY KEY ("childId", "flag"),
    CONSTRAINT "ChildFocusFlag_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Person" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "areaId" INTEGER NOT NULL,
    "phone" TEXT,
    "schoolName" TEXT,
    "hasGuardianshipCapacity" BOOLEAN,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Person_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChatIdentity" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "personId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "botAccount" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "displayName" TEXT,
    "boundAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ChatIdentity_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CareRoom" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "childId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "botAccount" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "topic" TEXT,
    "boundById" INTEGER NOT NULL,
    "boundAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CareRoom_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CareRoom_boundById_fkey" FOREIGN KEY ("boundById") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChildLink" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "childId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "relation" TEXT,
    "worksAway" BOOLEAN,
    "workPlace" TEXT,
    "hasGuardianshipCapacity" BOOLEAN,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    CONSTRAINT "ChildLink_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ChildLink_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GuardianshipAgreement" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "childId" INTEGER NOT NULL,
    "parentId" INTEGER NOT NULL,
    "guardianId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "capacityAssessment" TEXT,
    "approvedById" INTEGER,
    "approvedAt" DATETIME,
    "validFrom" TEXT,
    "validUntil" TEXT,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "GuardianshipAgreement_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "GuardianshipAgreement_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "GuardianshipAgreement_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "GuardianshipAgreement_approvedById_fkey" FOREIGN KEY ("approvedById") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContactLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "childId" INTEGER NOT NULL,
    "parentId" INTEGER NOT NULL,
    "loggedById" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "minutes" INTEGER,
    "contactedAt" DATETIME NOT NULL,
    "weekKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ContactLog_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ContactLog_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ContactLog_loggedById_fkey" FOREIGN KEY ("loggedById") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContactWeek" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "childId" INTEGER NOT NULL,
    "parentId" INTEGER NOT NULL,
    "weekKey" TEXT NOT NULL,
    "weekStart" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "contactCount" INTEGER NOT NULL DEFAULT 0,
    "missedStreak" INTEGER NOT NULL DEFAULT 0,
    "closedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ContactWeek_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ContactWeek_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TeacherCheckIn" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "childId" INTEGER NOT NULL,
    "teacherId" INTEGER NOT NULL,
    "round" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "note" TEXT,
    "promptedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answeredAt" DATETIME,
    "remindedAt" DATETIME,
    "reportId" INTEGER,
    CONSTRAINT "TeacherCheckIn_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TeacherCheckIn_teacherId_fkey" FOREIGN KEY ("teacherId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "TeacherCheckIn_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RiskAssessment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "childId" INTEGER NOT NULL,
    "assessorId" INTEGER NOT NULL,
    "round" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "note" TEXT,
    "assessedAt" DATETIME NOT NULL,
    CONSTRAINT "RiskAssessment_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RiskAssessment_assessorId_fkey" FOREIGN KEY ("assessorId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecordConfirmation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "childId" INTEGER NOT NULL,
    "quarter" TEXT NOT NULL,
    "confirmedById" INTEGER NOT NULL,
    "confirmedAt" DATETIME NOT NULL,
    "changes" JSONB,
    CONSTRAINT "RecordConfirmation_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RecordConfirmation_confirmedById_fkey" FOREIGN KEY ("confirmedById") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SchoolCalendar" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "areaId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "vacation" TEXT NOT NULL,
    "startsOn" TEXT NOT NULL,
    "endsOn" TEXT NOT NULL,
    CONSTRAINT "SchoolCalendar_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HolidayPlan" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "childId" INTEGER NOT NULL,
    "parentId" INTEGER NOT NULL,
    "calendarId" INTEGER NOT NULL,
    "answer" TEXT,
    "date" TEXT,
    "askedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answeredAt" DATETIME,
    CONSTRAINT "HolidayPlan_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "HolidayPlan_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "HolidayPlan_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "SchoolCalendar" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Report" (
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
    "escalations" INTEGER NOT NULL DEFAULT 0,
    "reportedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Report_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Report_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Report_reporterId_fkey" FOREIGN KEY ("reporterId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaseStep" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reportId" INTEGER NOT NULL,
    "fromState" TEXT,
    "toState" TEXT NOT NULL,
    "actorId" INTEGER,
    "actorLabel" TEXT,
    "note" TEXT,
    "department" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" DATETIME,
    CONSTRAINT "CaseStep_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CaseStep_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReportAttachment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reportId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "mimeType" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReportAttachment_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaseNumberSequence" (
    "prefix" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    PRIMARY KEY ("prefix", "year")
);

-- CreateTable
CREATE TABLE "Invite" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "personId" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "childId" INTEGER,
    "areaId" INTEGER NOT NULL,
    "issuedById" INTEGER,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Invite_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Invite_issuedById_fkey" FOREIGN KEY ("issuedById") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Invite_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Invite_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT,
    "tokenHash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "areaId" INTEGER NOT NULL,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "ApiToken_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT,
    "detail" JSONB
);

-- CreateTable
CREATE TABLE "InboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "botAccount" TEXT NOT NULL,
    "platformMessageId" TEXT NOT NULL,
    "fromExternalId" TEXT NOT NULL,
    "fromName" TEXT,
    "roomExternalId" TEXT,
    "text" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "handledAt" DATETIME,
    "error" TEXT
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "botAccount" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "isRoom" BOOLEAN NOT NULL DEFAULT false,
    "personId" INTEGER,
    "text" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "dedupeKey" TEXT,
    "inboxMessageId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    CONSTRAINT "OutboxMessage_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChatDialog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "personId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ChatDialog_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "JobRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "job" TEXT NOT NULL,
    "occurrence" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "instance" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "detail" JSONB
);

-- CreateTable
CREATE TABLE "ServiceSetting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Area_code_key" ON "Area"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Area_path_key" ON "Area"("path");

-- CreateIndex
CREATE INDEX "Area_parentId_idx" ON "Area"("parentId");

-- CreateIndex
CREATE UNIQUE INDEX "Child_nationalIdDigest_key" ON "Child"("nationalIdDigest");

-- CreateIndex
CREATE INDEX "Child_areaId_name_idx" ON "Child"("areaId", "name");

-- CreateIndex
CREATE INDEX "ChildCategoryTag_category_idx" ON "ChildCategoryTag"("category");

-- CreateIndex
CREATE INDEX "ChildFocusFlag_flag_idx" ON "ChildFocusFlag"("flag");

-- CreateIndex
CREATE INDEX "Person_areaId_role_idx" ON "Person"("areaId", "role");

-- CreateIndex
CREATE INDEX "ChatIdentity_personId_idx" ON "ChatIdentity"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "ChatIdentity_channel_botAccount_externalId_key" ON "ChatIdentity"("channel", "botAccount", "externalId");

-- CreateIndex
CREATE INDEX "CareRoom_childId_idx" ON "CareRoom"("childId");

-- CreateIndex
CREATE UNIQUE INDEX "CareRoom_channel_botAccount_externalId_key" ON "CareRoom"("channel", "botAccount", "externalId");

-- CreateIndex
CREATE INDEX "ChildLink_personId_kind_idx" ON "ChildLink"("personId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "ChildLink_childId_personId_kind_key" ON "ChildLink"("childId", "personId", "kind");

-- CreateIndex
CREATE INDEX "GuardianshipAgreement_childId_status_idx" ON "GuardianshipAgreement"("childId", "status");

-- CreateIndex
CREATE INDEX "ContactLog_parentId_childId_weekKey_idx" ON "ContactLog"("parentId", "childId", "weekKey");

-- CreateIndex
CREATE INDEX "ContactLog_weekKey_idx" ON "ContactLog"("weekKey");

-- CreateIndex
CREATE INDEX "ContactWeek_weekKey_status_idx" ON "ContactWeek"("weekKey", "status");

-- CreateIndex
CREATE INDEX "ContactWeek_childId_idx" ON "ContactWeek"("childId");

-- CreateIndex
CREATE UNIQUE INDEX "ContactWeek_parentId_childId_weekKey_key" ON "ContactWeek"("parentId", "childId", "weekKey");

-- CreateIndex
CREATE INDEX "TeacherCheckIn_round_status_idx" ON "TeacherCheckIn"("round", "status");

-- CreateIndex
CREATE UNIQUE INDEX "TeacherCheckIn_teacherId_childId_round_key" ON "TeacherCheckIn"("teacherId", "childId", "round");

-- CreateIndex
CREATE INDEX "RiskAssessment_round_idx" ON "RiskAssessment"("round");

-- CreateIndex
CREATE UNIQUE INDEX "RiskAssessment_childId_round_key" ON "RiskAssessment"("childId", "round");

-- CreateIndex
CREATE UNIQUE INDEX "RecordConfirmation_childId_quarter_key" ON "RecordConfirmation"("childId", "quarter");

-- CreateIndex
CREATE UNIQUE INDEX "SchoolCalendar_areaId_year_vacation_key" ON "SchoolCalendar"("areaId", "year", "vacation");

-- CreateIndex
CREATE UNIQUE INDEX "HolidayPlan_parentId_childId_calendarId_key" ON "HolidayPlan"("parentId", "childId", "calendarId");

-- CreateIndex
CREATE UNIQUE INDEX "Report_number_key" ON "Report"("number");

-- CreateIndex
CREATE INDEX "Report_areaId_state_idx" ON "Report"("areaId", "state");

-- CreateIndex
CREATE INDEX "Report_state_dueAt_idx" ON "Report"("state", "dueAt");

-- CreateIndex
CREATE INDEX "Report_childId_idx" ON "Report"("childId");

-- CreateIndex
CREATE INDEX "CaseStep_reportId_at_idx" ON "CaseStep"("reportId", "at");

-- CreateIndex
CREATE INDEX "ReportAttachment_reportId_idx" ON "ReportAttachment"("reportId");

-- CreateIndex
CREATE UNIQUE INDEX "Invite_code_key" ON "Invite"("code");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "AuditLog_subjectType_subjectId_idx" ON "AuditLog"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "InboxMessage_status_idx" ON "InboxMessage"("status");

-- CreateIndex
CREATE UNIQUE INDEX "InboxMessage_channel_platformMessageId_key" ON "InboxMessage"("channel", "platformMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_dedupeKey_key" ON "OutboxMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_address_id_idx" ON "OutboxMessage"("channel", "address", "id");

-- CreateIndex
CREATE INDEX "OutboxMessage_inboxMessageId_idx" ON "OutboxMessage"("inboxMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "ChatDialog_personId_kind_key" ON "ChatDialog"("personId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_job_occurrence_key" ON "JobRun"("job", "occurrence");
