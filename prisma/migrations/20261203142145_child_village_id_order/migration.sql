-- CreateIndex
CREATE INDEX "Child_areaId_id_idx" ON "Child"("areaId", "id");
