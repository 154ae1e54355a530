/** The state of a request, folded from its event log. The log is the only source of truth. */
import type {
  CheckResult,
  Comment,
  CommentVisibility,
  RequestState,
  Vote,
  VoteDecision,
} from '../../shared/airlock';
import type { StoredEvent } from './store/event-log';

/** A file as the author last edited it (draft or returned). */
export interface DraftFile {
  fileId: string;
  title: string;
  source: string;
  kind: 'table' | 'chart' | 'custom';
  /** Base name without extension, unique in the request. */
  name: string;
  /** Blob with { table, contributors } for tables and charts. */
  originalSha: string | null;
  imageSha: string | null;
  imageFormat: 'png' | 'svg' | null;
  /** Blob of the bytes of a custom file, and its extension. */
  customSha: string | null;
  customExtension: string | null;
  context: string;
  /** Older events carry no controls; folding treats them as empty. */
  controls?: string;
  group: string;
  addedBy: string;
  addedAt: string;
}

/** A file as frozen by a submission: what reviewers vote on and what release verifies. */
export interface SubmittedFile {
  fileId: string;
  title: string;
  source: string;
  kind: 'table' | 'chart' | 'custom';
  context: string;
  controls?: string;
  group: string;
  /** The released file (CSV of the safe table, or the custom file), by name and sha256. */
  name: string;
  sha256: string;
  size: number;
  /** The image of a chart, released beside its table. */
  imageName: string | null;
  imageSha256: string | null;
  /** Blob of the safe table as JSON, for the diff between turns; null for custom files. */
  safeSha: string | null;
  originalSha: string | null;
  checks: CheckResult[];
  addedBy: string;
  addedAt: string;
}

export interface Submission {
  turn: number;
  time: string;
  files: SubmittedFile[];
  /** The effective disclosure rules the checks applied. */
  policy: Record<string, unknown>;
}

export interface RequestRecord {
  id: string;
  title: string;
  purpose: string;
  author: string;
  state: RequestState;
  turn: number;
  createdAt: string;
  updatedAt: string;
  files: DraftFile[];
  submissions: Submission[];
  /** Votes keyed by file id, all turns. */
  votes: Map<string, Vote[]>;
  comments: Comment[];
  released: { bundle: string; manifestSha256: string; time: string; user: string } | null;
  events: StoredEvent[];
}

/** Votes each file needs in a turn, from two different reviewers. */
export const REQUIRED_VOTES = 2;

export function foldRequest(id: string, events: StoredEvent[]): RequestRecord {
  const first = events[0];
  if (!first || first.type !== 'created') throw new Error(`Request ${id} has no creation event`);
  const record: RequestRecord = {
    id,
    title: String(first.data.title),
    purpose: String(first.data.purpose),
    author: first.user,
    state: 'draft',
    turn: 0,
    createdAt: first.time,
    updatedAt: first.time,
    files: [],
    submissions: [],
    votes: new Map(),
    comments: [],
    released: null,
    events,
  };
  for (const event of events.slice(1)) apply(record, event);
  return record;
}

function apply(record: RequestRecord, event: StoredEvent): void {
  const data = event.data;
  record.updatedAt = event.time;
  switch (event.type) {
    case 'updated':
      if (typeof data.title === 'string') record.title = data.title;
      if (typeof data.purpose === 'string') record.purpose = data.purpose;
      break;
    case 'file-added':
      record.files.push(data.file as DraftFile);
      break;
    case 'file-replaced': {
      const file = record.files.find((f) => f.fileId === data.fileId);
      if (file) {
        file.originalSha = String(data.originalSha);
        file.imageSha = typeof data.imageSha === 'string' ? data.imageSha : null;
        file.imageFormat = (data.imageFormat as DraftFile['imageFormat']) ?? null;
      }
      break;
    }
    case 'file-removed':
      record.files = record.files.filter((file) => file.fileId !== data.fileId);
      break;
    case 'context-set': {
      const file = record.files.find((f) => f.fileId === data.fileId);
      if (file) {
        file.context = String(data.context);
        if (typeof data.controls === 'string') file.controls = data.controls;
        if (typeof data.group === 'string') file.group = data.group;
      }
      break;
    }
    case 'submitted':
      record.turn = Number(data.turn);
      record.submissions.push({
        turn: record.turn,
        time: event.time,
        files: data.files as SubmittedFile[],
        policy: data.policy as Record<string, unknown>,
      });
      record.state = 'submitted';
      break;
    case 'vote': {
      const fileId = String(data.fileId);
      const votes = record.votes.get(fileId) ?? [];
      votes.push({
        user: event.user,
        decision: data.decision as VoteDecision,
        time: event.time,
        turn: Number(data.turn),
      });
      record.votes.set(fileId, votes);
      record.state = String(data.state) as RequestState;
      break;
    }
    case 'comment':
      record.comments.push({
        id: String(data.id),
        user: event.user,
        time: event.time,
        turn: record.turn,
        fileId: typeof data.fileId === 'string' ? data.fileId : null,
        text: String(data.text),
        visibility: data.visibility as CommentVisibility,
      });
      break;
    case 'approved':
      record.state = 'approved';
      break;
    case 'returned':
    case 'rejected':
      record.state = event.type;
      if (typeof data.comment === 'string')
        record.comments.push({
          id: `c-${event.seq}`,
          user: event.user,
          time: event.time,
          turn: record.turn,
          fileId: null,
          text: data.comment,
          visibility: 'all',
        });
      break;
    case 'withdrawn':
      record.state = 'withdrawn';
      break;
    case 'released':
      record.state = 'released';
      record.released = {
        bundle: String(data.bundle),
        manifestSha256: String(data.manifestSha256),
        time: event.time,
        user: event.user,
      };
      break;
    default:
      break;
  }
}

/** Votes on a file in the current turn. */
export function turnVotes(record: RequestRecord, fileId: string): Vote[] {
  return (record.votes.get(fileId) ?? []).filter((vote) => vote.turn === record.turn);
}
