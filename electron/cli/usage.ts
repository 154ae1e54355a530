export const USAGE = `Usage: horizon <command> [options]

Commands:
  import --db FILE --format meds|omop PATH   Import a MEDS directory or an OMOP CDM folder or zip
         [--name NAME] [--as-new-version]    (same data twice is rejected unless --as-new-version)
  datasets --db FILE                          List the datasets in a cache
  info --db FILE                              Show cache totals and schema version

Options for every command:
  --json    Print one JSON object on stdout instead of text
  --help    Show this help

Exit codes: 0 success, 1 failure, 2 usage error.`;

/** A command line that cannot be run as written; exits with code 2. */
export class UsageError extends Error {}
