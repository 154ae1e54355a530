/** The view of a request for one user: files with checks, comments they may read, history, changes. */
import type {
  Actor,
  ExportFile,
  FileChange,
  Identity,
  OutputTable,
  RequestSummary,
  RequestView,
} from '../../shared/airlock';
import type { EffectiveDisclosure } from '../policy/schema';
import { columnsWithRole, numericValue } from './checks/cells';
import { evaluateFiles, type StoredOriginal } from './evaluate';
import { REQUIRED_VOTES, type RequestRecord, type SubmittedFile } from './request-state';
import { readBlob, readJsonBlob } from './store/blobs';
import { actorsFor, allowedActions } from './transitions';

/** Cells listed per changed file at most; the count of the rest is implied by the total. */
const MAX_CHANGED_CELLS = 200;

export function summarize(record: RequestRecord): RequestSummary {
  return {
    id: record.id,
    title: record.title,
    author: record.author,
    state: record.state,
    turn: record.turn,
    files: record.files.length,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** True when the user may see the request: its author, or a reviewer or admin once it is submitted. */
export function canView(identity: Identity, record: RequestRecord): boolean {
  if (identity.user === record.author) return true;
  const reviews = identity.roles.includes('reviewer') || identity.roles.includes('admin');
  return reviews && record.turn > 0;
}

export function buildView(
  dir: string,
  record: RequestRecord,
  identity: Identity,
  rules: EffectiveDisclosure,
): RequestView {
  const actors = actorsFor(identity, record.author);
  const editable = record.state === 'draft' || record.state === 'returned';
  const submission = record.submissions.at(-1);
  const items =
    editable || !submission
      ? liveItems(dir, record, rules)
      : submission.files.map((file) => frozenItem(dir, record, file));
  for (const item of items) item.original = item.original && maskSmallCounts(item.original, rules);
  const seesPrivate = !actors.includes('author') && actors.length > 0;

  return {
    ...summarize(record),
    purpose: record.purpose,
    items,
    comments: record.comments.filter((comment) => comment.visibility === 'all' || seesPrivate),
    history: record.events.map((event) => ({
      seq: event.seq,
      time: event.time,
      user: event.user,
      type: event.type,
      summary: describeEvent(event.type, event.data),
    })),
    changes: changesSincePreviousTurn(dir, record),
    // Approval needs two approving votes on every file, beyond what the table allows by state.
    allowed: allowedActions(record.state, actors).filter(
      (action) => action !== 'approve' || fullyApproved(record),
    ),
    actor: (actors[0] as Actor | undefined) ?? null,
    releasedBundle: record.released?.bundle ?? null,
  };
}

function fullyApproved(record: RequestRecord): boolean {
  const files = record.submissions.at(-1)?.files ?? [];
  return files.every(
    (file) =>
      new Set(
        (record.votes.get(file.fileId) ?? [])
          .filter((vote) => vote.turn === record.turn && vote.decision === 'approve')
          .map((vote) => vote.user),
      ).size >= REQUIRED_VOTES,
  );
}

function liveItems(dir: string, record: RequestRecord, rules: EffectiveDisclosure): ExportFile[] {
  return evaluateFiles(dir, record.files, rules).map((evaluated) => ({
    id: evaluated.file.fileId,
    title: evaluated.file.title,
    source: evaluated.file.source,
    kind: evaluated.file.kind,
    name: evaluated.fileName,
    sha256: '',
    size: evaluated.bytes.length,
    context: evaluated.file.context,
    controls: evaluated.file.controls ?? '',
    group: evaluated.file.group,
    checks: evaluated.checks,
    original: evaluated.original,
    safe: evaluated.safe,
    imageSha256: evaluated.file.imageSha,
    image: imageOf(dir, evaluated.file.imageSha, evaluated.file.imageFormat),
    addedBy: evaluated.file.addedBy,
    addedAt: evaluated.file.addedAt,
    votes: record.votes.get(evaluated.file.fileId)?.filter((v) => v.turn === record.turn) ?? [],
  }));
}

function frozenItem(dir: string, record: RequestRecord, file: SubmittedFile): ExportFile {
  const what = `output "${file.title}" (${file.fileId})`;
  return {
    id: file.fileId,
    title: file.title,
    source: file.source,
    kind: file.kind,
    name: file.name,
    sha256: file.sha256,
    size: file.size,
    context: file.context,
    controls: file.controls ?? '',
    group: file.group,
    checks: file.checks,
    original: file.originalSha
      ? readJsonBlob<StoredOriginal>(dir, file.originalSha, what).table
      : null,
    safe: file.safeSha ? readJsonBlob<OutputTable>(dir, file.safeSha, what) : null,
    imageSha256: file.imageSha256,
    image: imageOf(
      dir,
      file.imageSha256,
      file.imageName?.endsWith('.svg') ? 'svg' : file.imageName ? 'png' : null,
    ),
    addedBy: file.addedBy,
    addedAt: file.addedAt,
    votes: record.votes.get(file.fileId)?.filter((v) => v.turn === record.turn) ?? [],
  };
}

function imageOf(
  dir: string,
  hash: string | null,
  format: 'png' | 'svg' | null,
): ExportFile['image'] {
  if (!hash || !format) return null;
  return { format, dataBase64: readBlob(dir, hash, 'a chart image').toString('base64') };
}

/**
 * Replace counts between 1 and the threshold in an original table with
 * "<threshold", because no view shows a count below the disclosure threshold.
 * The safe version never contains them, so only the original needs this.
 */
export function maskSmallCounts(table: OutputTable, rules: EffectiveDisclosure): OutputTable {
  const counts = new Set(columnsWithRole(table, 'count'));
  return {
    columns: table.columns,
    rows: table.rows.map((row) =>
      row.map((cell, column) => {
        const value = counts.has(column) ? numericValue(cell) : null;
        return value !== null && value !== 0 && Math.abs(value) < rules.minimumCount
          ? `<${rules.minimumCount}`
          : cell;
      }),
    ),
  };
}

/** Differences between the last two submissions: what reviewers look at on a re-submitted request. */
export function changesSincePreviousTurn(dir: string, record: RequestRecord): FileChange[] {
  const [previous, current] = record.submissions.slice(-2);
  if (!previous || !current) return [];
  const before = new Map(previous.files.map((file) => [file.fileId, file]));
  const changes: FileChange[] = [];
  for (const file of current.files) {
    const old = before.get(file.fileId);
    before.delete(file.fileId);
    if (!old) {
      changes.push({ fileId: file.fileId, title: file.title, change: 'added', cells: [] });
    } else if (old.sha256 !== file.sha256 || old.imageSha256 !== file.imageSha256) {
      changes.push({
        fileId: file.fileId,
        title: file.title,
        change: 'changed',
        cells: cellChanges(dir, old, file),
      });
    } else {
      const contextChanged =
        old.context !== file.context ||
        (old.controls ?? '') !== (file.controls ?? '') ||
        old.group !== file.group;
      changes.push({
        fileId: file.fileId,
        title: file.title,
        change: contextChanged ? 'context' : 'unchanged',
        cells: [],
      });
    }
  }
  for (const removed of before.values())
    changes.push({ fileId: removed.fileId, title: removed.title, change: 'removed', cells: [] });
  return changes;
}

function cellChanges(
  dir: string,
  before: SubmittedFile,
  after: SubmittedFile,
): FileChange['cells'] {
  if (!before.safeSha || !after.safeSha) return [];
  const a = readJsonBlob<OutputTable>(dir, before.safeSha, `output "${before.title}"`);
  const b = readJsonBlob<OutputTable>(dir, after.safeSha, `output "${after.title}"`);
  const cells: FileChange['cells'] = [];
  const rows = Math.max(a.rows.length, b.rows.length);
  const columns = [...new Set([...a.columns.map((c) => c.name), ...b.columns.map((c) => c.name)])];
  for (let row = 0; row < rows && cells.length < MAX_CHANGED_CELLS; row++)
    for (const column of columns) {
      const value = (table: OutputTable) => {
        const index = table.columns.findIndex((c) => c.name === column);
        const cell = index < 0 ? undefined : table.rows[row]?.[index];
        return cell === undefined || cell === null ? '' : String(cell);
      };
      if (value(a) !== value(b)) cells.push({ row, column, before: value(a), after: value(b) });
    }
  return cells;
}

function describeEvent(type: string, data: Record<string, unknown>): string {
  switch (type) {
    case 'created':
      return `created "${String(data.title)}"`;
    case 'file-added':
      return `added ${String((data.file as { title?: string }).title)}`;
    case 'file-replaced':
      return `replaced ${String(data.fileId)}`;
    case 'file-removed':
      return `removed ${String(data.fileId)}`;
    case 'context-set':
      return `set the context of ${String(data.fileId)}`;
    case 'submitted':
      return `submitted turn ${String(data.turn)} with ${(data.files as unknown[]).length} file(s)`;
    case 'vote':
      return `voted ${String(data.decision)} on ${String(data.fileId)}`;
    case 'comment':
      return data.visibility === 'reviewers' ? 'commented (reviewers only)' : 'commented';
    case 'released':
      return `released to ${String(data.bundle)}`;
    default:
      return type;
  }
}
