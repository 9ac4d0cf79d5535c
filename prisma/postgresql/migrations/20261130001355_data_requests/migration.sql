-- CreateEnum
CREATE TYPE "DataRequestKind" AS ENUM ('correction', 'deletion');

-- CreateEnum
CREATE TYPE "DataRequestStatus" AS ENUM ('open', 'answered');

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" SERIAL NOT NULL,
    "personId" INTEGER NOT NULL,
    "areaId" INTEGER NOT NULL,
    "kind" "DataRequestKind" NOT NULL,
    "text" TEXT,
    "status" "DataRequestStatus" NOT NULL DEFAULT 'open',
    "dueAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "answer" TEXT,
    "answeredAt" TIMESTAMP(3),

    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DataRequest_areaId_status_idx" ON "DataRequest"("areaId", "status");

-- CreateIndex
CREATE INDEX "DataRequest_personId_idx" ON "DataRequest"("personId");

-- AddForeignKey
ALTER TABLE "DataRequest" ADD CONSTRAINT "DataRequest_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataRequest" ADD CONSTRAINT "DataRequest_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
