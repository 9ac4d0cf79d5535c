-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Referral" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reportId" INTEGER,
    "returnHomeWishId" INTEGER,
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
    "progress" TEXT,
    "escalations" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Referral_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Referral_returnHomeWishId_fkey" FOREIGN KEY ("returnHomeWishId") REFERENCES "ReturnHomeWish" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Referral" ("acceptedAt", "answeredAt", "department", "dueAt", "escalations", "feedback", "id", "reportId", "request", "returnReason", "returnedAt", "sentAt", "state") SELECT "acceptedAt", "answeredAt", "department", "dueAt", "escalations", "feedback", "id", "reportId", "request", "returnReason", "returnedAt", "sentAt", "state" FROM "Referral";
DROP TABLE "Referral";
ALTER TABLE "new_Referral" RENAME TO "Referral";
CREATE UNIQUE INDEX "Referral_returnHomeWishId_key" ON "Referral"("returnHomeWishId");
CREATE INDEX "Referral_department_state_idx" ON "Referral"("department", "state");
CREATE INDEX "Referral_state_dueAt_idx" ON "Referral"("state", "dueAt");
CREATE INDEX "Referral_reportId_idx" ON "Referral"("reportId");
-- A wish already handed to 人社 becomes its referral, due seven days after it was handed over.
INSERT INTO "Referral" ("returnHomeWishId", "department", "state", "sentAt", "dueAt", "escalations")
SELECT "id", 'human_resources', 'sent', "referredAt", strftime('%Y-%m-%dT%H:%M:%fZ', "referredAt", '+7 days'), 0 FROM "ReturnHomeWish" WHERE "referredAt" IS NOT NULL;
CREATE TABLE "new_ReturnHomeWish" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "personId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "askedAt" DATETIME NOT NULL,
    "answeredAt" DATETIME,
    "intention" TEXT,
    "needs" TEXT,
    "consent" BOOLEAN,
    CONSTRAINT "ReturnHomeWish_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ReturnHomeWish" ("answeredAt", "askedAt", "consent", "id", "intention", "needs", "period", "personId") SELECT "answeredAt", "askedAt", "consent", "id", "intention", "needs", "period", "personId" FROM "ReturnHomeWish";
DROP TABLE "ReturnHomeWish";
ALTER TABLE "new_ReturnHomeWish" RENAME TO "ReturnHomeWish";
CREATE INDEX "ReturnHomeWish_period_idx" ON "ReturnHomeWish"("period");
CREATE UNIQUE INDEX "ReturnHomeWish_personId_period_key" ON "ReturnHomeWish"("personId", "period");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
