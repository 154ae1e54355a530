export const USAGE = `Usage: horizon <command> [options]

Commands:
  import --db FILE --format meds|omop PATH   Import a MEDS directory or an OMOP CDM folder or zip
         [--name NAME] [--as-new-version]    (same data twice is rejected unless --as-new-version)
  datasets --db FILE                          List the datasets in a cache
  info --db FILE                              Show cache totals and schema version
  cohort create --db FILE --definition DEF.json Generate a cohort as the next version of its name
         [--dataset ID]                       (default: the most recently imported dataset)
  cohort list --db FILE                       List saved cohorts with versions, creator and date
  cohort show NAME --db FILE [--attrition]    Show a cohort (latest version, or --cohort-version N)
  cohort members NAME --db FILE --out FILE.csv Write subject_id, index_date, end_date of each member
  cohort import-atlas FILE.json [--out DEF.json] [--name NAME]
                                              Translate an ATLAS cohort definition; lists by JSON path
                                              every element it could not translate
  synth --people N --seed S --out DIR         Simulate a synthetic population as a MEDS directory
        [--start DATE] [--end DATE]           (records from --start, default 2010-01-01,
                                              to before --end, default 2024-12-31)
  synth --people N --seed S --db FILE         ... or import it into a cache as a synthetic dataset
        [--as-new-version]                    (the same population twice only with this flag)
  synth --describe [--people N] [--seed S]    Print prevalence and incidence by age band and sex
                                              (default 20000 people, seed 1)
  truth --dataset DIR --cutoff DATE           Write each person's true probability of each code in
        --horizon-days N --out FILE.csv       (cutoff, cutoff + N days], with its standard error
        [--max-standard-error X]              (target per code, default 0.005)
        [--check [--replicates R]]            ... and compare each code's mean risk with the share
                                              recorded, and with the share over R continuations of
                                              the simulation from the cutoff (default 50)
  forecast --db FILE --model DIR (--alive-at YYYY-MM-DD | --cohort NAME [--cohort-version N]) --horizon-days N
         [--samples K] [--seed S] [--ep cuda,webgpu,cpu] [--threads N] [--dataset-id ID] [--out FILE.csv]
                                              Forecast everyone alive on a date, or the members of a
                                              saved cohort from their index dates (K default 100, at most
                                              10000; S default 1; providers tried in order, default
                                              cuda,webgpu,cpu)
  backtest --db FILE --model DIR --cutoff DATE --horizon-days N --out report.json
         [--truth FILE.csv|synthetic] [--samples K] [--seed S] [--max-people N] [--ep ...]
         [--threads N] [--dataset-id ID]
                                              Forecast everyone alive at the cutoff from their history
                                              before it and score the risks on what was recorded after:
                                              AUROC per code (>= 20 positives), calibration by decile,
                                              Brier; also for an age-sex baseline and, with --truth,
                                              the true risks ("synthetic": simulate the cache's
                                              synthetic population again); K default 64; the report
                                              is also saved in the cache; default dataset: the newest
  model tokens --dataset MEDS_DIR --out DIR    Tokenize a MEDS directory for model training
         [--min-count N]                      (codes seen fewer than N times get no token; default 10)
  audit verify (--db FILE | --log FILE)       Check the audit log's hash chain; exit code 1 names the
                                              first broken entry (the log is audit-log.jsonl beside the
                                              cache, or HORIZON_AUDIT_LOG)
  audit list (--db FILE | --log FILE)        List audit entries, newest first
         [--action A] [--user U] [--since DATE] [--until DATE]
  optout add FILE --db FILE [--column NAME]  Add subject ids (one a line, or a CSV column) to the
                                              opt-out list and purge them from the cache (admin role)
  optout count --db FILE                     How many people are on the opt-out list
  export create --title T [--purpose P]       Start an export request (analyst role); --airlock DIR
                                              or the policy's airlock.folder names the shared folder
  export add (--output OUTPUT.json | --file FILE [--title T]) [--request ID] [--context TEXT]
                                              Add a Horizon output (the airlock.addOutput shape) and
                                              print its disclosure checks, or a custom file, which is
                                              marked for manual review (default: newest draft)
  export add --db FILE (--cohort NAME [--cohort-version N] | --forecast-run ID)
                                              ... or a saved cohort's age and sex table, or a forecast
                                              run's expected cases, read from the cache
  export context|remove ID --file-id F [--context TEXT] [--controls TEXT] [--group G]
                                              Set a file's context, disclosure controls and group, or
                                              remove the file, while the request is editable
  export submit|withdraw ID                   Submit for review, or withdraw (author)
  export list | review | show ID              All visible requests, the review queue, or one request
  export vote ID --file-id F --decision approve|changes [--comment TEXT]
                                              Vote on a file (reviewer; never the author)
  export comment ID --comment TEXT [--file-id F] [--private]
                                              Comment; --private keeps it among reviewers
  export approve ID | return ID --comment T | reject ID --comment T
                                              Decide a reviewed request (reviewer or admin)
  export release ID [--outbox DIR]            Re-verify every hash and write the bundle to the outbox
  export verify BUNDLE [--airlock DIR]        Check a released bundle; exit code 1 lists each problem.
                                              With an airlock folder, also compare the manifest with
                                              the release recorded in the request's log

Options for every command:
  --json    Print one JSON object on stdout instead of text
  --help    Show this help

Exit codes: 0 success, 1 failure, 2 usage error.`;

/** A command line that cannot be run as written; exits with code 2. */
export class UsageError extends Error {}

export function requireOption(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`missing ${name}`);
  return value;
}
