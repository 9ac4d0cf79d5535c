-- CreateTable
CREATE TABLE "DataRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "personId" INTEGER NOT NULL,
    "areaId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "dueAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "answer" TEXT,
    "answeredAt" DATETIME,
    CONSTRAINT "DataRequest_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "DataRequest_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "DataRequest_areaId_status_idx" ON "DataRequest"("areaId", "status");

-- CreateIndex
CREATE INDEX "DataRequest_personId_idx" ON "DataRequest"("personId");
