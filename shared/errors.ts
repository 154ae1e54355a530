/**
 * Error codes that cross the IPC boundary. The renderer translates each code
 * through the i18n catalogs (key `error.<code>`), using `params` for values.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'unknown_channel'
  | 'forbidden_sender'
  | 'cache_newer_schema'
  | 'cache_open_failed'
  | 'import_invalid_input'
  | 'import_duplicate'
  | 'import_cancelled'
  | 'import_failed'
  | 'job_not_found'
  | 'forbidden'
  | 'policy_invalid'
  | 'airlock_not_found'
  | 'airlock_invalid_transition'
  | 'airlock_invalid_output'
  | 'airlock_row_level'
  | 'airlock_checks_failed'
  | 'airlock_conflict'
  | 'airlock_tampered'
  | 'airlock_unavailable'
  | 'cohort_invalid_definition'
  | 'cohort_not_found'
  | 'cohort_no_dataset'
  | 'atlas_invalid'
  | 'model_not_found'
  | 'model_invalid'
  | 'forecast_invalid_request'
  | 'forecast_cancelled'
  | 'forecast_failed'
  | 'forecast_busy'
  | 'forecast_run_not_found'
  | 'forecast_member_not_found'
  | 'backtest_unavailable'
  | 'backtest_report_not_found'
  | 'audit_unavailable'
  | 'audit_invalid_entry'
  | 'optout_invalid_list'
  | 'import_identifiers'
  | 'internal';

export type ErrorParams = Record<string, string | number>;

/** A failure with a stable code, the values involved and what the user can do next. */
export class HorizonError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, message: string, params: ErrorParams = {}) {
    super(message);
    this.name = 'HorizonError';
    this.code = code;
    this.params = params;
  }
}

/** Serialisable form of an error, as sent from the main process to the renderer. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  params: ErrorParams;
}

export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof HorizonError) {
    return { code: error.code, message: error.message, params: error.params };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message, params: {} };
}
