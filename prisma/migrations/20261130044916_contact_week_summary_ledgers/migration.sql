-- CreateTable
CREATE TABLE "PromptPause" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "personId" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    CONSTRAINT "PromptPause_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContactWeekSummary" (
    "weekKey" TEXT NOT NULL,
    "areaId" INTEGER NOT NULL,
    "kept" INTEGER NOT NULL,
    "missed" INTEGER NOT NULL,
    "paused" INTEGER NOT NULL,

    PRIMARY KEY ("weekKey", "areaId"),
    CONSTRAINT "ContactWeekSummary_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContactWeekSummarized" (
    "weekKey" TEXT NOT NULL PRIMARY KEY,
    "summarizedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "PromptPause_personId_endsAt_idx" ON "PromptPause"("personId", "endsAt");

-- Pauses made before their history was kept: one each, from the person row's last change
INSERT INTO "PromptPause" ("personId", "startedAt", "endsAt") SELECT "id", "updatedAt", "promptsPausedUntil" FROM "Person" WHERE "promptsPausedUntil" IS NOT NULL;
