-- CreateTable
CREATE TABLE "ParentWork" (
    "id" SERIAL NOT NULL,
    "personId" INTEGER NOT NULL,
    "place" TEXT NOT NULL,
    "trade" TEXT,
    "since" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ParentWork_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ParentWork_personId_key" ON "ParentWork"("personId");

-- AddForeignKey
ALTER TABLE "ParentWork" ADD CONSTRAINT "ParentWork_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
