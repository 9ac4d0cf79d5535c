-- CreateTable
CREATE TABLE "ReturnHomeWish" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "personId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "askedAt" DATETIME NOT NULL,
    "answeredAt" DATETIME,
    "intention" TEXT,
    "needs" TEXT,
    "consent" BOOLEAN,
    "referredAt" DATETIME,
    CONSTRAINT "ReturnHomeWish_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LeftBehindChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "childId" INTEGER NOT NULL,
    "areaId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "leftBehind" BOOLEAN NOT NULL,
    "reason" TEXT NOT NULL,
    CONSTRAINT "LeftBehindChange_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LeftBehindChange_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ReturnHomeWish_period_idx" ON "ReturnHomeWish"("period");

-- CreateIndex
CREATE UNIQUE INDEX "ReturnHomeWish_personId_period_key" ON "ReturnHomeWish"("personId", "period");

-- CreateIndex
CREATE INDEX "LeftBehindChange_at_idx" ON "LeftBehindChange"("at");

-- CreateIndex
CREATE INDEX "LeftBehindChange_childId_idx" ON "LeftBehindChange"("childId");
