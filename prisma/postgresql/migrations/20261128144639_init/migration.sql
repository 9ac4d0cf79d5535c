-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "AreaLevel" AS ENUM ('city', 'district', 'township', 'village');

-- CreateEnum
CREATE TYPE "ChildCategory" AS ENUM ('left_behind', 'economic_hardship', 'disabled', 'safety_lacking');

-- CreateEnum
CREATE TYPE "FocusFlag" AS ENUM ('vagrant', 'dropout', 'domestic_violence', 'parent_substance_abuse', 'parent_in_prison');

-- CreateEnum
CREATE TYPE "Gender" AS ENUM ('male', 'female');

-- CreateEnum
CREATE TYPE "SchoolStage" AS ENUM ('preschool', 'primary', 'junior', 'senior', 'vocational', 'not_in_school');

-- CreateEnum
CREATE TYPE "RiskLevel" AS ENUM ('low', 'medium', 'high');

-- CreateEnum
CREATE TYPE "PersonRole" AS ENUM ('parent', 'guardian', 'teacher', 'director', 'officer', 'hotline');

-- CreateEnum
CREATE TYPE "LinkKind" AS ENUM ('parent', 'guardian', 'teacher', 'director');

-- CreateEnum
CREATE TYPE "AgreementStatus" AS ENUM ('pending', 'approved', 'rejected', 'ended');

-- CreateEnum
CREATE TYPE "ContactMethod" AS ENUM ('video', 'phone', 'visit');

-- CreateEnum
CREATE TYPE "ContactWeekStatus" AS ENUM ('kept', 'missed');

-- CreateEnum
CREATE TYPE "CheckInStatus" AS ENUM ('pending', 'normal', 'concern', 'urgent');

-- CreateEnum
CREATE TYPE "Vacation" AS ENUM ('winter', 'summer');

-- CreateEnum
CREATE TYPE "HolidayAnswer" AS ENUM ('coming_home', 'taking_child', 'cannot');

-- CreateEnum
CREATE TYPE "ReportType" AS ENUM ('sexual_abuse_or_pregnancy', 'abuse_or_injury', 'self_harm_or_unnatural_death', 'abandonment', 'missing_or_trafficked', 'organized_begging', 'guardianship_gap', 'dropout', 'illness_or_accident', 'psychological', 'living_hardship', 'vagrancy', 'contact_gap', 'other');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('urgent', 'high', 'normal');

-- CreateEnum
CREATE TYPE "CaseState" AS ENUM ('reported', 'verified', 'referred', 'assisting', 'closed', 'dismissed');

-- CreateEnum
CREATE TYPE "ReportSource" AS ENUM ('director', 'guardian', 'teacher', 'parent', 'system', 'officer');

-- CreateEnum
CREATE TYPE "Department" AS ENUM ('civil_affairs', 'education', 'police', 'health', 'human_resources', 'poverty_relief', 'youth_league', 'womens_federation', 'disabled_persons_federation', 'court', 'procuratorate', 'justice');

-- CreateEnum
CREATE TYPE "ApiRole" AS ENUM ('officer_city', 'officer_district', 'officer_township', 'director', 'auditor');

-- CreateEnum
CREATE TYPE "InboxStatus" AS ENUM ('received', 'handled', 'failed');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sending', 'sent', 'dead');

-- CreateEnum
CREATE TYPE "JobRunStatus" AS ENUM ('running', 'done', 'failed');

-- CreateTable
CREATE TABLE "Area" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" "AreaLevel" NOT NULL,
    "parentId" INTEGER,
    "path" TEXT NOT NULL,
    "casePrefix" TEXT,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Area_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Child" (
    "id" SERIAL NOT NULL,
    "areaId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "gender" "Gender",
    "birthDate" TEXT NOT NULL,
    "nationalIdCipher" TEXT,
    "nationalIdDigest" TEXT,
    "nationalIdMasked" TEXT,
    "schoolName" TEXT,
    "schoolStage" "SchoolStage",
    "grade" TEXT,
    "familySituation" TEXT,
    "guardianshipStatus" TEXT,
    "healthStatus" TEXT,
    "leftBehind" BOOLEAN NOT NULL DEFAULT false,
    "leftBehindOverride" BOOLEAN,
    "leftBehindOverrideReason" TEXT,
    "riskLevel" "RiskLevel",
    "recordConfirmedAt" TIMESTAMP(3),
    "recordStale" BOOLEAN NOT NULL DEFAULT false,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Child_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChildCategoryTag" (
    "childId" INTEGER NOT NULL,
    "category" "ChildCategory" NOT NULL,

    CONSTRAINT "ChildCategoryTag_pkey" PRIMARY KEY ("childId","category")
);

-- CreateTable
CREATE TABLE "ChildFocusFlag" (
    "childId" INTEGER NOT NULL,
    "flag" "FocusFlag" NOT NULL,

    CONSTRAINT "ChildFocusFlag_pkey" PRIMARY KEY ("childId","flag")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "role" "PersonRole" NOT NULL,
    "areaId" INTEGER NOT NULL,
    "phone" TEXT,
    "schoolName" TEXT,
    "hasGuardianshipCapacity" BOOLEAN,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatIdentity" (
    "id" SERIAL NOT NULL,
    "personId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "botAccount" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "displayName" TEXT,
    "boundAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CareRoom" (
    "id" SERIAL NOT NULL,
    "childId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "botAccount" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "topic" TEXT,
    "boundById" INTEGER NOT NULL,
    "boundAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CareRoom_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChildLink" (
    "id" SERIAL NOT NULL,
    "childId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "kind" "LinkKind" NOT NULL,
    "relation" TEXT,
    "worksAway" BOOLEAN,
    "workPlace" TEXT,
    "hasGuardianshipCapacity" BOOLEAN,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "ChildLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GuardianshipAgreement" (
    "id" SERIAL NOT NULL,
    "childId" INTEGER NOT NULL,
    "parentId" INTEGER NOT NULL,
    "guardianId" INTEGER NOT NULL,
    "status" "AgreementStatus" NOT NULL DEFAULT 'pending',
    "capacityAssessment" TEXT,
    "approvedById" INTEGER,
    "approvedAt" TIMESTAMP(3),
    "validFrom" TEXT,
    "validUntil" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GuardianshipAgreement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactLog" (
    "id" SERIAL NOT NULL,
    "childId" INTEGER NOT NULL,
    "parentId" INTEGER NOT NULL,
    "loggedById" INTEGER NOT NULL,
    "method" "ContactMethod" NOT NULL,
    "minutes" INTEGER,
    "contactedAt" TIMESTAMP(3) NOT NULL,
    "weekKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContactLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactWeek" (
    "id" SERIAL NOT NULL,
    "childId" INTEGER NOT NULL,
    "parentId" INTEGER NOT NULL,
    "weekKey" TEXT NOT NULL,
    "weekStart" TIMESTAMP(3) NOT NULL,
    "status" "ContactWeekStatus" NOT NULL,
    "contactCount" INTEGER NOT NULL DEFAULT 0,
    "missedStreak" INTEGER NOT NULL DEFAULT 0,
    "closedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContactWeek_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeacherCheckIn" (
    "id" SERIAL NOT NULL,
    "childId" INTEGER NOT NULL,
    "teacherId" INTEGER NOT NULL,
    "round" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "status" "CheckInStatus" NOT NULL DEFAULT 'pending',
    "note" TEXT,
    "promptedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answeredAt" TIMESTAMP(3),
    "remindedAt" TIMESTAMP(3),
    "reportId" INTEGER,

    CONSTRAINT "TeacherCheckIn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RiskAssessment" (
    "id" SERIAL NOT NULL,
    "childId" INTEGER NOT NULL,
    "assessorId" INTEGER NOT NULL,
    "round" TEXT NOT NULL,
    "level" "RiskLevel" NOT NULL,
    "note" TEXT,
    "assessedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RiskAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecordConfirmation" (
    "id" SERIAL NOT NULL,
    "childId" INTEGER NOT NULL,
    "quarter" TEXT NOT NULL,
    "confirmedById" INTEGER NOT NULL,
    "confirmedAt" TIMESTAMP(3) NOT NULL,
    "changes" JSONB,

    CONSTRAINT "RecordConfirmation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchoolCalendar" (
    "id" SERIAL NOT NULL,
    "areaId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "vacation" "Vacation" NOT NULL,
    "startsOn" TEXT NOT NULL,
    "endsOn" TEXT NOT NULL,

    CONSTRAINT "SchoolCalendar_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HolidayPlan" (
    "id" SERIAL NOT NULL,
    "childId" INTEGER NOT NULL,
    "parentId" INTEGER NOT NULL,
    "calendarId" INTEGER NOT NULL,
    "answer" "HolidayAnswer",
    "date" TEXT,
    "askedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answeredAt" TIMESTAMP(3),

    CONSTRAINT "HolidayPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" SERIAL NOT NULL,
    "number" TEXT NOT NULL,
    "childId" INTEGER,
    "subjectName" TEXT,
    "areaId" INTEGER NOT NULL,
    "type" "ReportType" NOT NULL,
    "severity" "Severity" NOT NULL,
    "state" "CaseState" NOT NULL DEFAULT 'reported',
    "suspected" BOOLEAN NOT NULL DEFAULT false,
    "description" TEXT NOT NULL,
    "actionsTaken" TEXT,
    "source" "ReportSource" NOT NULL,
    "reporterId" INTEGER,
    "department" "Department",
    "dueAt" TIMESTAMP(3),
    "escalations" INTEGER NOT NULL DEFAULT 0,
    "reportedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseStep" (
    "id" SERIAL NOT NULL,
    "reportId" INTEGER NOT NULL,
    "fromState" "CaseState",
    "toState" "CaseState" NOT NULL,
    "actorId" INTEGER,
    "actorLabel" TEXT,
    "note" TEXT,
    "department" "Department",
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" TIMESTAMP(3),

    CONSTRAINT "CaseStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportAttachment" (
    "id" SERIAL NOT NULL,
    "reportId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "mimeType" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseNumberSequence" (
    "prefix" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "CaseNumberSequence_pkey" PRIMARY KEY ("prefix","year")
);

-- CreateTable
CREATE TABLE "Invite" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "personId" INTEGER NOT NULL,
    "role" "PersonRole" NOT NULL,
    "childId" INTEGER,
    "areaId" INTEGER NOT NULL,
    "issuedById" INTEGER,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" SERIAL NOT NULL,
    "name" TEXT,
    "tokenHash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "role" "ApiRole" NOT NULL,
    "areaId" INTEGER NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT,
    "detail" JSONB,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboxMessage" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "botAccount" TEXT NOT NULL,
    "platformMessageId" TEXT NOT NULL,
    "fromExternalId" TEXT NOT NULL,
    "fromName" TEXT,
    "roomExternalId" TEXT,
    "text" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "status" "InboxStatus" NOT NULL DEFAULT 'received',
    "handledAt" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "InboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "botAccount" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "isRoom" BOOLEAN NOT NULL DEFAULT false,
    "personId" INTEGER,
    "text" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "dedupeKey" TEXT,
    "inboxMessageId" INTEGER,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatDialog" (
    "id" SERIAL NOT NULL,
    "personId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChatDialog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobRun" (
    "id" SERIAL NOT NULL,
    "job" TEXT NOT NULL,
    "occurrence" TEXT NOT NULL,
    "status" "JobRunStatus" NOT NULL DEFAULT 'running',
    "instance" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "detail" JSONB,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceSetting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceSetting_pkey" PRIMARY KEY ("key")
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

-- AddForeignKey
ALTER TABLE "Area" ADD CONSTRAINT "Area_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Area"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Child" ADD CONSTRAINT "Child_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChildCategoryTag" ADD CONSTRAINT "ChildCategoryTag_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChildFocusFlag" ADD CONSTRAINT "ChildFocusFlag_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatIdentity" ADD CONSTRAINT "ChatIdentity_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareRoom" ADD CONSTRAINT "CareRoom_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareRoom" ADD CONSTRAINT "CareRoom_boundById_fkey" FOREIGN KEY ("boundById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChildLink" ADD CONSTRAINT "ChildLink_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChildLink" ADD CONSTRAINT "ChildLink_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuardianshipAgreement" ADD CONSTRAINT "GuardianshipAgreement_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuardianshipAgreement" ADD CONSTRAINT "GuardianshipAgreement_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuardianshipAgreement" ADD CONSTRAINT "GuardianshipAgreement_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuardianshipAgreement" ADD CONSTRAINT "GuardianshipAgreement_approvedById_fkey" FOREIGN KEY ("approvedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactLog" ADD CONSTRAINT "ContactLog_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactLog" ADD CONSTRAINT "ContactLog_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactLog" ADD CONSTRAINT "ContactLog_loggedById_fkey" FOREIGN KEY ("loggedById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactWeek" ADD CONSTRAINT "ContactWeek_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactWeek" ADD CONSTRAINT "ContactWeek_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeacherCheckIn" ADD CONSTRAINT "TeacherCheckIn_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeacherCheckIn" ADD CONSTRAINT "TeacherCheckIn_teacherId_fkey" FOREIGN KEY ("teacherId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeacherCheckIn" ADD CONSTRAINT "TeacherCheckIn_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskAssessment" ADD CONSTRAINT "RiskAssessment_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskAssessment" ADD CONSTRAINT "RiskAssessment_assessorId_fkey" FOREIGN KEY ("assessorId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecordConfirmation" ADD CONSTRAINT "RecordConfirmation_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecordConfirmation" ADD CONSTRAINT "RecordConfirmation_confirmedById_fkey" FOREIGN KEY ("confirmedById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SchoolCalendar" ADD CONSTRAINT "SchoolCalendar_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HolidayPlan" ADD CONSTRAINT "HolidayPlan_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HolidayPlan" ADD CONSTRAINT "HolidayPlan_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HolidayPlan" ADD CONSTRAINT "HolidayPlan_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "SchoolCalendar"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_reporterId_fkey" FOREIGN KEY ("reporterId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseStep" ADD CONSTRAINT "CaseStep_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseStep" ADD CONSTRAINT "CaseStep_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportAttachment" ADD CONSTRAINT "ReportAttachment_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invite" ADD CONSTRAINT "Invite_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invite" ADD CONSTRAINT "Invite_issuedById_fkey" FOREIGN KEY ("issuedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invite" ADD CONSTRAINT "Invite_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invite" ADD CONSTRAINT "Invite_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatDialog" ADD CONSTRAINT "ChatDialog_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
