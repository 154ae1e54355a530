import type Database from 'better-sqlite3';

/**
 * Delete a dataset and every row it owns, including codes it introduced that no
 * other dataset uses, in one transaction.
 */
export function purgeDataset(db: Database.Database, datasetId: number): void {
  db.transaction(() => {
    db.prepare('DELETE FROM events WHERE dataset_id = ?').run(datasetId);
    db.prepare(
      `DELETE FROM codes WHERE introduced_by = ?
         AND NOT EXISTS (SELECT 1 FROM events WHERE events.code_id = codes.id)`,
    ).run(datasetId);
    db.prepare('UPDATE codes SET introduced_by = NULL WHERE introduced_by = ?').run(datasetId);
    // subjects, observation_periods and cohorts cascade from the dataset row.
    db.prepare('DELETE FROM datasets WHERE id = ?').run(datasetId);
  }).immediate();
}
