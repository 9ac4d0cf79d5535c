-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "LeftBehindReason" ADD VALUE 'moved_in';
ALTER TYPE "LeftBehindReason" ADD VALUE 'moved_out';
ALTER TYPE "LeftBehindReason" ADD VALUE 'archived';

-- AlterTable
ALTER TABLE "Referral" ADD COLUMN     "progress" TEXT,
ADD COLUMN     "returnHomeWishId" INTEGER,
ALTER COLUMN "reportId" DROP NOT NULL;

-- A wish already handed to 人社 becomes its referral, due seven days after it was handed over.
INSERT INTO "Referral" ("returnHomeWishId", "department", "state", "sentAt", "dueAt", "escalations")
SELECT "id", 'human_resources', 'sent', "referredAt", "referredAt" + interval '7 days', 0 FROM "ReturnHomeWish" WHERE "referredAt" IS NOT NULL;

-- AlterTable
ALTER TABLE "ReturnHomeWish" DROP COLUMN "referredAt";

-- CreateIndex
CREATE UNIQUE INDEX "Referral_returnHomeWishId_key" ON "Referral"("returnHomeWishId");

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_returnHomeWishId_fkey" FOREIGN KEY ("returnHomeWishId") REFERENCES "ReturnHomeWish"("id") ON DELETE CASCADE ON UPDATE CASCADE;
