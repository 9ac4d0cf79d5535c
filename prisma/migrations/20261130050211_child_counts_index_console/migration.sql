-- CreateIndex
CREATE INDEX "Child_areaId_archivedAt_recordStale_schoolStage_idx" ON "Child"("areaId", "archivedAt", "recordStale", "schoolStage");
