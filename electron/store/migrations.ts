/**
 * Numbered schema migrations of the cohort cache. The cache stores its schema
 * version in `PRAGMA user_version`; each migration runs once, in order, inside
 * a transaction. Never edit a released migration: append a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'initial cohort cache',
    sql: `
      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        format TEXT NOT NULL CHECK (format IN ('meds', 'omop')),
        source TEXT NOT NULL,
        source_hash TEXT NOT NULL,
        -- A dataset is visible only once its status is 'complete'.
        status TEXT NOT NULL CHECK (status IN ('importing', 'complete')),
        importer_pid INTEGER,
        subjects INTEGER NOT NULL DEFAULT 0,
        events INTEGER NOT NULL DEFAULT 0,
        codes INTEGER NOT NULL DEFAULT 0,
        first_event_time INTEGER,
        last_event_time INTEGER,
        started_at INTEGER NOT NULL,
        completed_at INTEGER,
        imported_by TEXT NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]',
        metadata TEXT NOT NULL DEFAULT '{}',
        UNIQUE (name, version)
      );

      CREATE TABLE codes (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        description TEXT,
        vocabulary TEXT,
        -- The import that first interned this code, so a failed import can remove what it added.
        introduced_by INTEGER
      );

      CREATE TABLE code_parents (
        code_id INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE,
        parent_id INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE,
        PRIMARY KEY (code_id, parent_id)
      ) WITHOUT ROWID;
      CREATE INDEX code_parents_parent ON code_parents (parent_id);

      CREATE TABLE subjects (
        dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
        subject_id INTEGER NOT NULL,
        sex TEXT,
        -- Birth is stored coarsened to the first day of its month.
        birth_time INTEGER,
        death_time INTEGER,
        first_event_time INTEGER,
        last_event_time INTEGER,
        events INTEGER NOT NULL DEFAULT 0,
        split TEXT,
        PRIMARY KEY (dataset_id, subject_id)
      ) WITHOUT ROWID;

      -- One row per MEDS event. No foreign keys here: they would cost a lookup per
      -- inserted row, and importers write subjects and events of one dataset together.
      CREATE TABLE events (
        dataset_id INTEGER NOT NULL,
        subject_id INTEGER NOT NULL,
        time INTEGER,
        code_id INTEGER NOT NULL,
        numeric_value REAL,
        text_value TEXT
      );
      CREATE INDEX events_subject_time ON events (dataset_id, subject_id, time);
      CREATE INDEX events_code ON events (code_id, dataset_id);

      CREATE TABLE observation_periods (
        dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
        subject_id INTEGER NOT NULL,
        start_time INTEGER NOT NULL,
        end_time INTEGER NOT NULL
      );
      CREATE INDEX observation_periods_subject ON observation_periods (dataset_id, subject_id);

      CREATE TABLE opt_outs (
        subject_id TEXT PRIMARY KEY,
        added_at INTEGER NOT NULL,
        added_by TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE cohorts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
        definition TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('generating', 'complete')),
        members INTEGER NOT NULL DEFAULT 0,
        attrition TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        UNIQUE (name, version)
      );

      CREATE TABLE cohort_members (
        cohort_id INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
        subject_id INTEGER NOT NULL,
        index_time INTEGER NOT NULL,
        end_time INTEGER,
        PRIMARY KEY (cohort_id, subject_id, index_time)
      ) WITHOUT ROWID;

      CREATE TABLE forecast_runs (
        id INTEGER PRIMARY KEY,
        cohort_id INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        model_hash TEXT NOT NULL,
        horizon_days INTEGER NOT NULL,
        samples INTEGER NOT NULL,
        seed INTEGER NOT NULL,
        execution_provider TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'complete')),
        params TEXT NOT NULL DEFAULT '{}',
        started_at INTEGER NOT NULL,
        completed_at INTEGER,
        created_by TEXT NOT NULL
      );

      CREATE TABLE forecast_results (
        run_id INTEGER NOT NULL REFERENCES forecast_runs (id) ON DELETE CASCADE,
        subject_id INTEGER NOT NULL,
        code_id INTEGER NOT NULL REFERENCES codes (id),
        probability REAL NOT NULL,
        ci_low REAL,
        ci_high REAL,
        expected_days REAL,
        PRIMARY KEY (run_id, subject_id, code_id)
      ) WITHOUT ROWID;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'forecast counts and cohort aggregates',
    sql: `
      -- Expected number of occurrences within the horizon (e.g. inpatient admissions).
      ALTER TABLE forecast_results ADD COLUMN expected_count REAL;
      -- Cohort aggregates of a run as JSON: expected cases per code, admissions per month.
      ALTER TABLE forecast_runs ADD COLUMN summary TEXT NOT NULL DEFAULT '{}';
    `,
  },
  {
    version: 3,
    name: 'forecast members and run extras',
    sql: `
      -- Members of a run under a pseudonymous id, so the renderer never sees subject ids,
      -- with the share of their events the model could read.
      CREATE TABLE forecast_members (
        run_id INTEGER NOT NULL REFERENCES forecast_runs (id) ON DELETE CASCADE,
        subject_id INTEGER NOT NULL,
        pseudonym TEXT NOT NULL,
        index_time INTEGER NOT NULL,
        coverage REAL,
        PRIMARY KEY (run_id, subject_id),
        UNIQUE (run_id, pseudonym)
      ) WITHOUT ROWID;
      -- Aggregates the app computes beside a run (service demand, age-sex baseline) as JSON.
      CREATE TABLE forecast_extras (
        run_id INTEGER PRIMARY KEY REFERENCES forecast_runs (id) ON DELETE CASCADE,
        demand TEXT,
        baseline TEXT
      );
    `,
  },
  {
    version: 4,
    name: 'backtest reports',
    sql: `
      -- Backtest reports (aggregates only: metrics, thinned ROC curves, calibration bins,
      -- positives per code) from the app and the CLI, so the Validation page can reopen them.
      CREATE TABLE backtest_reports (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        dataset_id INTEGER,
        model_id TEXT NOT NULL,
        model_version TEXT NOT NULL,
        cutoff TEXT NOT NULL,
        horizon_days INTEGER NOT NULL,
        samples INTEGER NOT NULL,
        people INTEGER NOT NULL,
        report TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'audit entries queued with their change',
    sql: `
      -- Audit entries written in the same transaction as the change they record and
      -- moved to the audit log right after the commit, so a process killed in between
      -- leaves the entry queued here instead of losing it.
      CREATE TABLE audit_pending (
        id INTEGER PRIMARY KEY,
        queued_at TEXT NOT NULL,
        user TEXT NOT NULL,
        input TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'cohort times in milliseconds',
    sql: `
      -- Forecasts and backtests saved their "Alive on DATE" cohorts with created_at in
      -- seconds while every other cohort uses milliseconds, so lists showed January 1970.
      -- Any time below 10^11 is in seconds: in milliseconds it would be before March 1973.
      UPDATE cohorts SET created_at = created_at * 1000 WHERE created_at < 100000000000;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;
