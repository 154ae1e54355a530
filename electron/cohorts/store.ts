/**
 * Saved cohorts: generation into the cohorts and cohort_members tables,
 * listing and lookup by name and version.
 */
import type { CohortDefinition } from '../../shared/cohort-definition';
import type { AttritionStep } from '../../shared/cohorts';
import { HorizonError } from '../../shared/errors';
import { flushAudit, queueAudit } from '../audit';
import { logger } from '../log';
import type { Cache } from '../store/cache';
import { resolveDatasetId } from './datasets';
import { readStoredDefinition } from './definition';
import { MEMBER_FILTER, evaluateCohort } from './evaluate';

export interface SavedCohort {
  id: number;
  name: string;
  version: number;
  datasetId: number;
  members: number;
  createdAt: number;
  createdBy: string;
  definition: CohortDefinition | null;
  attrition: AttritionStep[];
}

export interface GenerateOptions {
  definition: CohortDefinition;
  datasetId?: number;
  createdBy: string;
}

/**
 * Evaluate the definition and save it as the next version of its name. The
 * cohort row, its members and attrition are written in one transaction, so
 * readers never see a cohort half written even though status passes through
 * 'generating'.
 */
export function generateCohort(db: Cache, options: GenerateOptions): SavedCohort {
  const datasetId = resolveDatasetId(db, options.datasetId);
  const started = Date.now();
  logger.info('cohort generation started', { name: options.definition.name, datasetId });

  const { attrition, allRulesMask } = evaluateCohort(db, options.definition, datasetId);

  let queued = 0;
  const id = db
    .transaction(() => {
      const { version } = db
        .prepare<[string], { version: number }>(
          'SELECT coalesce(max(version), 0) + 1 AS version FROM cohorts WHERE name = ?',
        )
        .get(options.definition.name)!;
      const cohortId = Number(
        db
          .prepare(
            `INSERT INTO cohorts (name, version, dataset_id, definition, status, attrition, created_at, created_by)
           VALUES (?, ?, ?, ?, 'generating', ?, ?, ?)`,
          )
          .run(
            options.definition.name,
            version,
            datasetId,
            JSON.stringify(options.definition),
            JSON.stringify(attrition),
            Date.now(),
            options.createdBy,
          ).lastInsertRowid,
      );
      const members = db
        .prepare(
          `INSERT INTO cohort_members (cohort_id, subject_id, index_time, end_time)
         SELECT ?, subject_id, index_time, end_time FROM temp.cohort_index WHERE ${MEMBER_FILTER}`,
        )
        .run(cohortId, allRulesMask).changes;
      db.prepare("UPDATE cohorts SET status = 'complete', members = ? WHERE id = ?").run(
        members,
        cohortId,
      );
      // The entry commits with the cohort.
      queued = queueAudit(db, {
        action: 'cohort.generate',
        objectType: 'cohort',
        objectId: String(cohortId),
        counts: { members },
        details: { name: options.definition.name, version, datasetId },
      });
      return cohortId;
    })
    .immediate();
  flushAudit(db, [queued]);

  const saved = findCohortById(db, id);
  logger.info('cohort generation finished', {
    cohortId: id,
    version: saved.version,
    durationMs: Date.now() - started,
  });
  return saved;
}

interface CohortRow {
  id: number;
  name: string;
  version: number;
  dataset_id: number;
  members: number;
  created_at: number;
  created_by: string;
  definition: string;
  attrition: string;
}

const columns =
  'id, name, version, dataset_id, members, created_at, created_by, definition, attrition';

/** List every complete cohort, newest version first within each name. */
export function listCohorts(db: Cache): SavedCohort[] {
  return db
    .prepare<[], CohortRow>(
      `SELECT ${columns} FROM cohorts WHERE status = 'complete' ORDER BY name, version DESC`,
    )
    .all()
    .map(fromRow);
}

/** Find the cohort with this name: the given version, or else the latest one. */
export function findCohort(db: Cache, name: string, version?: number): SavedCohort {
  const row =
    version === undefined
      ? db
          .prepare<[string], CohortRow>(
            `SELECT ${columns} FROM cohorts WHERE status = 'complete' AND name = ? ORDER BY version DESC LIMIT 1`,
          )
          .get(name)
      : db
          .prepare<[string, number], CohortRow>(
            `SELECT ${columns} FROM cohorts WHERE status = 'complete' AND name = ? AND version = ?`,
          )
          .get(name, version);
  if (!row) {
    const label = version === undefined ? name : `${name} version ${version}`;
    throw new HorizonError(
      'cohort_not_found',
      `No complete cohort named "${label}". List the saved cohorts with "horizon cohort list".`,
      { name: label },
    );
  }
  return fromRow(row);
}

export function findCohortById(db: Cache, id: number): SavedCohort {
  const row = db
    .prepare<[number], CohortRow>(`SELECT ${columns} FROM cohorts WHERE id = ?`)
    .get(id);
  if (!row) {
    throw new HorizonError(
      'cohort_not_found',
      `No cohort with id ${id}. List the saved cohorts with "horizon cohort list".`,
      { name: String(id) },
    );
  }
  return fromRow(row);
}

export interface CohortMember {
  subjectId: number;
  indexTime: number;
  endTime: number | null;
}

export function cohortMembers(db: Cache, cohortId: number): CohortMember[] {
  return db
    .prepare<[number], CohortMember>(
      `SELECT subject_id AS subjectId, index_time AS indexTime, end_time AS endTime
         FROM cohort_members WHERE cohort_id = ? ORDER BY subject_id, index_time`,
    )
    .all(cohortId);
}

function fromRow(row: CohortRow): SavedCohort {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    datasetId: row.dataset_id,
    members: row.members,
    createdAt: row.created_at,
    createdBy: row.created_by,
    definition: readStoredDefinition(row.definition),
    attrition: parseAttrition(row.attrition),
  };
}

function parseAttrition(json: string): AttritionStep[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? (value as AttritionStep[]) : [];
  } catch {
    return [];
  }
}
