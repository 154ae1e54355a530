/**
 * `horizon export`: the airlock without the app. Every subcommand acts as the
 * operating-system user with the roles the policy grants, exactly like the UI.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { outputSchema } from '../../shared/airlock-api';
import type { CheckResult, Output, RequestSummary, RequestView } from '../../shared/airlock';
import { appendAudit, auditLogPathFor } from '../audit';
import { openAirlock, verifyBundle, type Airlock } from '../airlock';
import { cohortCharacterizationOutput, forecastSummaryOutput } from '../airlock/sources';
import { openCache } from '../store/cache';
import { currentIdentity, TEST_USER_VARIABLE } from '../policy/identity';
import { loadPolicy } from '../policy/load';
import { UsageError } from './usage';

export interface ExportValues {
  airlock?: string;
  outbox?: string;
  db?: string;
  title?: string;
  purpose?: string;
  request?: string;
  output?: string;
  file?: string;
  'file-id'?: string;
  context?: string;
  controls?: string;
  group?: string;
  decision?: string;
  comment?: string;
  private?: boolean;
  cohort?: string;
  'cohort-version'?: string;
  'forecast-run'?: string;
  json?: boolean;
}

type Result = { json: unknown; text: string; exitCode?: number };

export function runExportCommand(args: string[], values: ExportValues): Result {
  const [sub, ...rest] = args;
  if (sub === 'verify') {
    if (rest.length !== 1) throw new UsageError('export verify needs exactly one BUNDLE folder');
    // With an airlock folder at hand, also compare the manifest with the one the log recorded.
    const folder = values.airlock ?? loadPolicy().policy.airlock.folder;
    const result = folder ? open(values).verifyReleased(rest[0]!) : verifyBundle(rest[0]!);
    const text = result.ok
      ? `Bundle ${result.bundle} (request ${result.requestId}): ${result.files} file(s), all hashes verify.`
      : [
          `Bundle ${result.bundle} FAILED verification:`,
          ...result.problems.map((problem) => `  ${problem.kind}: ${problem.message}`),
        ].join('\n');
    return { json: { verification: result }, text, exitCode: result.ok ? 0 : 1 };
  }

  warnAboutTestUser();
  const airlock = open(values);
  const id = (what: string) => {
    if (rest.length !== 1) throw new UsageError(`export ${what} needs exactly one REQUEST id`);
    return rest[0]!;
  };
  switch (sub) {
    case 'create': {
      if (rest.length > 0)
        throw new UsageError('export create takes no arguments; use --title and --purpose');
      const title = required(values.title, '--title TEXT');
      return viewResult(airlock.create({ title, purpose: values.purpose ?? '' }), 'Created');
    }
    case 'add':
      return add(airlock, rest, values);
    case 'context': {
      const requestId = id('context');
      const fileId = required(values['file-id'], '--file-id ID');
      // An option left out keeps the file's current text.
      const current = airlock.get(requestId).items.find((item) => item.id === fileId);
      return viewResult(
        airlock.setContext({
          requestId,
          fileId,
          context: values.context ?? current?.context ?? '',
          controls: values.controls,
          group: values.group,
        }),
        'Updated',
      );
    }
    case 'remove':
      return viewResult(
        airlock.removeFile({
          requestId: id('remove'),
          fileId: required(values['file-id'], '--file-id ID'),
        }),
        'Updated',
      );
    case 'update':
      return viewResult(
        airlock.update({ requestId: id('update'), title: values.title, purpose: values.purpose }),
        'Updated',
      );
    case 'submit':
      return viewResult(airlock.submit(id('submit')), 'Submitted');
    case 'withdraw':
      return viewResult(airlock.withdraw(id('withdraw')), 'Withdrew');
    case 'vote': {
      const decision = values.decision;
      if (decision !== 'approve' && decision !== 'changes')
        throw new UsageError('export vote needs --decision approve or --decision changes');
      return viewResult(
        airlock.vote({
          requestId: id('vote'),
          fileId: required(values['file-id'], '--file-id ID'),
          decision,
          comment: values.comment,
        }),
        'Voted on',
      );
    }
    case 'comment':
      return viewResult(
        airlock.comment({
          requestId: id('comment'),
          fileId: values['file-id'],
          text: required(values.comment, '--comment TEXT'),
          visibility: values.private ? 'reviewers' : 'all',
        }),
        'Commented on',
      );
    case 'approve':
      return viewResult(airlock.approve(id('approve')), 'Approved');
    case 'return':
      return viewResult(
        airlock.returnRequest(id('return'), required(values.comment, '--comment TEXT')),
        'Returned',
      );
    case 'reject':
      return viewResult(
        airlock.reject(id('reject'), required(values.comment, '--comment TEXT')),
        'Rejected',
      );
    case 'release': {
      const released = airlock.release(id('release'));
      return {
        json: { request: released, verification: released.verification },
        text: `Released ${released.id} to ${released.releasedBundle}: ${released.verification.files} file(s), verified.`,
      };
    }
    case 'list':
    case 'review': {
      if (rest.length > 0) throw new UsageError(`export ${sub} takes no arguments`);
      const identity = currentIdentity();
      // The review queue: submitted requests this user may vote on or decide.
      const requests = airlock
        .list()
        .filter(
          (request) =>
            sub === 'list' ||
            (request.author !== identity.user &&
              ['submitted', 'partially_reviewed', 'reviewed', 'approved'].includes(request.state)),
        );
      return { json: { requests }, text: formatList(requests) };
    }
    case 'show':
      return {
        json: { request: airlock.get(id('show')) },
        text: formatView(airlock.get(id('show'))),
      };
    default:
      throw new UsageError(
        `unknown export subcommand "${sub ?? ''}" (create, add, context, remove, update, submit, withdraw, ` +
          'list, review, show, vote, comment, approve, return, reject, release, verify)',
      );
  }
}

function open(values: ExportValues): Airlock {
  const policy = loadPolicy().policy;
  const folder = values.airlock ?? policy.airlock.folder;
  if (!folder)
    throw new UsageError('export needs --airlock DIR, or an airlock.folder in the policy file');
  const auditLog = values.db
    ? auditLogPathFor(values.db)
    : (process.env.HORIZON_AUDIT_LOG ?? join(folder, 'audit-log.jsonl'));
  return openAirlock({
    fallbackDir: folder,
    explicit: { folder, outbox: values.outbox },
    audit: (input) => appendAudit(input, auditLog),
  });
}

function add(airlock: Airlock, rest: string[], values: ExportValues): Result {
  if (rest.length > 0)
    throw new UsageError(
      'export add takes no arguments; use --output, --file, --cohort or --forecast-run',
    );
  const sources = [values.output, values.file, values.cohort, values['forecast-run']].filter(
    (value) => value !== undefined,
  );
  if (sources.length !== 1)
    throw new UsageError(
      'export add needs exactly one of --output OUTPUT.json, --file FILE, --cohort NAME or --forecast-run ID',
    );
  const output =
    values.output !== undefined
      ? readOutput(values.output)
      : values.cohort !== undefined || values['forecast-run'] !== undefined
        ? fromCache(values)
        : null;
  if (output) {
    const result = airlock.addOutput({ requestId: values.request, output });
    if (values.context)
      airlock.setContext({
        requestId: result.requestId,
        fileId: result.fileId,
        context: values.context,
      });
    return {
      json: result,
      text: `Added ${result.fileId} ("${output.title}") to ${result.requestId}.\n${formatChecks(result.checks)}`,
    };
  }
  const result = airlock.addCustomFile({
    requestId: values.request,
    title: values.title ?? basename(values.file!),
    fileName: basename(values.file!),
    bytes: readFileSync(values.file!),
    context: values.context,
  });
  return {
    json: result,
    text: `Added custom file ${result.fileId} to ${result.requestId} (marked for manual review).\n${formatChecks(result.checks)}`,
  };
}

function readOutput(path: string): Output {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--output ${path} is not readable JSON: ${(error as Error).message}`);
  }
  const output = outputSchema.safeParse(parsed);
  if (!output.success) {
    const issue = output.error.issues[0]!;
    throw new UsageError(
      `--output ${path} is not a Horizon output at ${issue.path.join('.') || 'the top level'}: ${issue.message}`,
    );
  }
  return output.data;
}

/** Build a cohort characterization or forecast summary from the cache, as the app's pages export them. */
function fromCache(values: ExportValues): Output {
  const cache = openCache(
    required(values.db, '--db FILE (the cache with the cohort or forecast run)'),
  );
  try {
    if (values.cohort !== undefined) {
      const version = values['cohort-version'];
      if (version !== undefined && !/^\d+$/.test(version))
        throw new UsageError(`--cohort-version must be a whole number (got ${version})`);
      return cohortCharacterizationOutput(
        cache,
        values.cohort,
        version === undefined ? undefined : Number(version),
      );
    }
    const run = values['forecast-run']!;
    if (!/^\d+$/.test(run)) throw new UsageError(`--forecast-run must be a run id (got ${run})`);
    return forecastSummaryOutput(cache, Number(run), currentIdentity().disclosureThreshold);
  } finally {
    cache.close();
  }
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`missing ${name}`);
  return value;
}

/** Say loudly that the acting user is not the OS user, so a test setting never goes unnoticed. */
function warnAboutTestUser(): void {
  const identity = currentIdentity();
  if (identity.testUser)
    process.stderr.write(
      `WARNING: acting as "${identity.user}" from ${TEST_USER_VARIABLE} (NODE_ENV=test). ` +
        'This is for automated tests only.\n',
    );
}

function viewResult(view: RequestView, verb: string): Result {
  return { json: { request: view }, text: `${verb} ${view.id}.\n${formatView(view)}` };
}

function formatList(requests: RequestSummary[]): string {
  if (requests.length === 0) return 'No export requests.';
  return requests
    .map((r) =>
      r.problem
        ? `${r.id}  UNREADABLE: ${r.problem}`
        : `${r.id}  ${r.state.padEnd(18)} turn ${r.turn}  ${String(r.files).padStart(3)} file(s)  ${r.author}  ${r.title}`,
    )
    .join('\n');
}

function formatChecks(checks: CheckResult[]): string {
  return checks
    .map((check) => {
      const params = Object.entries(check.params)
        .map(([key, value]) => `${key}=${value}`)
        .join(', ');
      return `  [${check.outcome}] ${check.rule}${params ? ` (${params})` : ''}: ${check.message}`;
    })
    .join('\n');
}

export function formatView(view: RequestView): string {
  const lines = [
    `Request ${view.id}: ${view.title}`,
    `  state ${view.state}, turn ${view.turn}, author ${view.author}, you: ${view.actor ?? 'no access'}`,
    `  purpose: ${view.purpose || '(none yet)'}`,
    `  you may: ${view.allowed.join(', ') || 'nothing'}`,
  ];
  if (view.releasedBundle) lines.push(`  released to ${view.releasedBundle}`);
  for (const item of view.items) {
    const votes = item.votes.map((vote) => `${vote.user}: ${vote.decision}`).join(', ') || 'none';
    lines.push(
      '',
      `File ${item.id} ${item.name} (${item.kind}, ${item.source})${item.sha256 ? ` sha256 ${item.sha256}` : ''}`,
      `  ${item.title}${item.context ? ` | context: ${item.context}` : ''}`,
      `  votes this turn: ${votes}`,
      formatChecks(item.checks),
    );
  }
  if (view.changes.length > 0) {
    lines.push('', 'Changes since the previous turn:');
    for (const change of view.changes)
      lines.push(
        `  ${change.change} ${change.title}${change.cells.length ? ` (${change.cells.length} cell(s))` : ''}`,
      );
  }
  if (view.comments.length > 0) {
    lines.push('', 'Comments:');
    for (const comment of view.comments)
      lines.push(
        `  ${comment.time} ${comment.user}${comment.visibility === 'reviewers' ? ' (reviewers only)' : ''}: ${comment.text}`,
      );
  }
  return lines.join('\n');
}
