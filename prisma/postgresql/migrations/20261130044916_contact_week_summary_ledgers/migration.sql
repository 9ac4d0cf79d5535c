-- AlterEnum
ALTER TYPE "ContactWeekStatus" ADD VALUE 'paused';

-- CreateTable
CREATE TABLE "PromptPause" (
    "id" SERIAL NOT NULL,
    "personId" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PromptPause_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactWeekSummary" (
    "weekKey" TEXT NOT NULL,
    "areaId" INTEGER NOT NULL,
    "kept" INTEGER NOT NULL,
    "missed" INTEGER NOT NULL,
    "paused" INTEGER NOT NULL,

    CONSTRAINT "ContactWeekSummary_pkey" PRIMARY KEY ("weekKey","areaId")
);

-- CreateTable
CREATE TABLE "ContactWeekSummarized" (
    "weekKey" TEXT NOT NULL,
    "summarizedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContactWeekSummarized_pkey" PRIMARY KEY ("weekKey")
);

-- CreateIndex
CREATE INDEX "PromptPause_personId_endsAt_idx" ON "PromptPause"("personId", "endsAt");

-- AddForeignKey
ALTER TABLE "PromptPause" ADD CONSTRAINT "PromptPause_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactWeekSummary" ADD CONSTRAINT "ContactWeekSummary_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Pauses made before their history was kept: one each, from the person row's last change
INSERT INTO "PromptPause" ("personId", "startedAt", "endsAt") SELECT "id", "updatedAt", "promptsPausedUntil" FROM "Person" WHERE "promptsPausedUntil" IS NOT NULL;
