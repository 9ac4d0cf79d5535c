-- CreateEnum
CREATE TYPE "LeftBehindReason" AS ENUM ('registered', 'parent_left', 'parent_returned', 'moved_to_parents', 'came_of_age', 'other');

-- CreateTable
CREATE TABLE "ReturnHomeWish" (
    "id" SERIAL NOT NULL,
    "personId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "askedAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),
    "intention" TEXT,
    "needs" TEXT,
    "consent" BOOLEAN,
    "referredAt" TIMESTAMP(3),

    CONSTRAINT "ReturnHomeWish_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LeftBehindChange" (
    "id" SERIAL NOT NULL,
    "childId" INTEGER NOT NULL,
    "areaId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "leftBehind" BOOLEAN NOT NULL,
    "reason" "LeftBehindReason" NOT NULL,

    CONSTRAINT "LeftBehindChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReturnHomeWish_period_idx" ON "ReturnHomeWish"("period");

-- CreateIndex
CREATE UNIQUE INDEX "ReturnHomeWish_personId_period_key" ON "ReturnHomeWish"("personId", "period");

-- CreateIndex
CREATE INDEX "LeftBehindChange_at_idx" ON "LeftBehindChange"("at");

-- CreateIndex
CREATE INDEX "LeftBehindChange_childId_idx" ON "LeftBehindChange"("childId");

-- AddForeignKey
ALTER TABLE "ReturnHomeWish" ADD CONSTRAINT "ReturnHomeWish_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeftBehindChange" ADD CONSTRAINT "LeftBehindChange_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeftBehindChange" ADD CONSTRAINT "LeftBehindChange_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
