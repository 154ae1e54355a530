/**
 * Backtest reports kept in the cache. A report contains aggregates only (AUROC,
 * Brier, thinned ROC curves, calibration by decile, positives per code), so
 * it may be stored and reopened. Positives under the disclosure threshold are
 * masked whenever a report leaves the main process.
 */
import type { BacktestReport } from '../../shared/backtest';
import type { BacktestReportItem, MaskedBacktestReport } from '../../shared/forecast-api';
import { HorizonError } from '../../shared/errors';
import { maskCount } from '../cohorts/masking';
import type { Cache } from '../store/cache';

export function saveBacktestReport(db: Cache, report: BacktestReport, createdBy: string): number {
  const result = db
    .prepare(
      `INSERT INTO backtest_reports
         (created_at, created_by, dataset_id, model_id, model_version, cutoff, horizon_days, samples, people, report)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      report.createdAt,
      createdBy,
      report.dataset.id,
      report.model.id,
      report.model.version,
      report.cutoff,
      report.horizonDays,
      report.samples,
      report.people,
      JSON.stringify(report),
    );
  return Number(result.lastInsertRowid);
}

/** Saved reports, newest first, without their contents. */
export function listBacktestReports(db: Cache): BacktestReportItem[] {
  return db
    .prepare(
      `SELECT id, created_at AS createdAt, created_by AS createdBy, model_id AS modelId,
              model_version AS modelVersion, cutoff, horizon_days AS horizonDays, samples, people
         FROM backtest_reports ORDER BY id DESC`,
    )
    .all() as BacktestReportItem[];
}

export function readBacktestReport(db: Cache, id: number): BacktestReport {
  const row = db.prepare('SELECT report FROM backtest_reports WHERE id = ?').get(id) as
    { report: string } | undefined;
  if (!row)
    throw new HorizonError(
      'backtest_report_not_found',
      `Backtest report ${id} is not in this cache.`,
      { id },
    );
  return JSON.parse(row.report) as BacktestReport;
}

/** Mask each code's positives below `threshold` for the renderer. */
export function maskBacktestReport(
  id: number,
  report: BacktestReport,
  threshold: number,
): MaskedBacktestReport {
  return {
    ...report,
    id,
    threshold,
    codes: report.codes.map((code) => ({
      ...code,
      positives: maskCount(code.positives, threshold),
    })),
  };
}
