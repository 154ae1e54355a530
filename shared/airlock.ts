/**
 * Types of the export review (airlock): roles, outputs, disclosure check
 * results, requests and their states. Shared by the main process, the CLI and
 * the renderer.
 */

/** A role granted by the administrator's policy file. */
export type Role = 'analyst' | 'reviewer' | 'admin';

export interface Identity {
  /** Operating-system user name. */
  user: string;
  roles: Role[];
  /**
   * True when the user name came from HORIZON_TEST_USER, which is honoured
   * only under NODE_ENV=test. The UI and CLI show a warning while it is set.
   */
  testUser: boolean;
  /** The disclosure threshold (minimum cell count) of the policy in force. */
  disclosureThreshold: number;
  /** The administrator's policy file merged over the default, or null when only the default applies. */
  policyFile: string | null;
}

export type ColumnRole = 'label' | 'count' | 'magnitude' | 'rate' | 'value';

export interface OutputColumn {
  name: string;
  role: ColumnRole;
}

export type Cell = string | number | null;

export interface OutputTable {
  columns: OutputColumn[];
  rows: Cell[][];
}

/**
 * Contributor detail of one magnitude cell (a sum over units such as people):
 * how many units contributed and the largest few contributions, largest
 * first. Dominance and p-ratio need it; it stays inside the airlock and is
 * never written to a release bundle.
 */
export interface CellContributors {
  count: number;
  largest: number[];
}

export interface Output {
  title: string;
  /** Where the output came from, e.g. 'forecast.top-conditions', or 'custom' for a file Horizon did not produce. */
  source: string;
  kind: 'table' | 'chart';
  /** The aggregate table; a chart carries the table it plots and is checked through it. */
  table: OutputTable;
  image?: { format: 'png' | 'svg'; dataBase64: string };
  /** True for member-level (one row per person) data, which is rejected. */
  rowLevel?: boolean;
  /** Contributor detail per magnitude column name, one entry per row (null where unknown). */
  contributors?: Record<string, (CellContributors | null)[]>;
}

export type CheckRule =
  | 'threshold'
  | 'zeros'
  | 'rounding'
  | 'dominance'
  | 'p-ratio'
  | 'secondary-suppression'
  | 'derived-rate'
  | 'max-rows'
  | 'file-type'
  | 'row-level'
  | 'chart-image'
  | 'custom-output';

/**
 * pass: nothing to change. suppressed: the cells listed were suppressed or
 * rounded in the safe version, which is what gets released. fail: blocks
 * submission until the output is changed. review: needs a reviewer's judgement.
 */
export type CheckOutcome = 'pass' | 'suppressed' | 'fail' | 'review';

export interface CellRef {
  row: number;
  column: string;
}

export interface CheckResult {
  rule: CheckRule;
  /** The policy parameters the rule applied, e.g. { minimumCount: 10 }. */
  params: Record<string, string | number | boolean | null>;
  outcome: CheckOutcome;
  /** English explanation naming the rule and parameters; the UI translates by rule and outcome. */
  message: string;
  cells: CellRef[];
  /** For cross-table secondary suppression: the other output whose cells revealed these. */
  relatedFileId?: string;
}

/** The text that replaces a suppressed cell in the safe version of a table. */
export const SUPPRESSED = '[suppressed]';

export const requestStates = [
  'draft',
  'submitted',
  'partially_reviewed',
  'reviewed',
  'approved',
  'released',
  'returned',
  'rejected',
  'withdrawn',
] as const;
export type RequestState = (typeof requestStates)[number];

export const requestActions = [
  'submit',
  'withdraw',
  'vote',
  'approve',
  'return',
  'reject',
  'release',
  'edit',
  'comment',
] as const;
export type RequestAction = (typeof requestActions)[number];

/** Who acts on a request: its author, a reviewer (never the author) or an administrator (never the author). */
export type Actor = 'author' | 'reviewer' | 'admin';

export type VoteDecision = 'approve' | 'changes';
export type CommentVisibility = 'all' | 'reviewers';

export interface Vote {
  user: string;
  decision: VoteDecision;
  time: string;
  turn: number;
}

export interface Comment {
  id: string;
  user: string;
  time: string;
  turn: number;
  fileId: string | null;
  text: string;
  /** 'all': visible to the author too. 'reviewers': private to reviewers and admins. */
  visibility: CommentVisibility;
}

export interface ExportFile {
  id: string;
  title: string;
  source: string;
  kind: 'table' | 'chart' | 'custom';
  /** File name inside the bundle, e.g. 'top-conditions.csv'. */
  name: string;
  /** sha256 of the released bytes (the safe version), hex. */
  sha256: string;
  size: number;
  context: string;
  /** The disclosure controls the author applied, in their words. */
  controls: string;
  group: string;
  checks: CheckResult[];
  /** Original and safe (suppressed, rounded) tables; null for custom files. */
  original: OutputTable | null;
  safe: OutputTable | null;
  /** sha256 of the image beside the table, for charts. */
  imageSha256: string | null;
  /** The chart image itself, for reviewers to look at. */
  image: { format: 'png' | 'svg'; dataBase64: string } | null;
  addedBy: string;
  addedAt: string;
  votes: Vote[];
}

export interface RequestEventSummary {
  seq: number;
  time: string;
  user: string;
  type: string;
  summary: string;
}

export interface FileChange {
  fileId: string;
  title: string;
  change: 'added' | 'removed' | 'changed' | 'context' | 'unchanged';
  /** Cells whose safe value differs from the previous turn, for tables. */
  cells: { row: number; column: string; before: string; after: string }[];
}

export interface RequestSummary {
  id: string;
  title: string;
  author: string;
  state: RequestState;
  turn: number;
  files: number;
  createdAt: string;
  updatedAt: string;
  /** Set when the request's log or files failed verification; the other fields are then empty. */
  problem?: string;
}

export interface RequestView extends RequestSummary {
  purpose: string;
  items: ExportFile[];
  comments: Comment[];
  history: RequestEventSummary[];
  /** What changed since the previous submission, for a re-submitted request; empty on the first turn. */
  changes: FileChange[];
  /** Actions the current user may take now, from the transition table. */
  allowed: RequestAction[];
  /** How the current user relates to this request. */
  actor: Actor | null;
  releasedBundle: string | null;
}

export interface BundleProblem {
  kind:
    | 'missing-manifest'
    | 'invalid-manifest'
    | 'missing-file'
    | 'tampered-file'
    | 'unexpected-file'
    | 'manifest-hash-mismatch';
  path: string;
  message: string;
}

export interface BundleVerification {
  ok: boolean;
  bundle: string;
  requestId: string | null;
  files: number;
  problems: BundleProblem[];
}
