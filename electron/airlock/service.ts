/**
 * The airlock: export requests, disclosure checks, two-reviewer votes and
 * release. Each action re-reads the request's verified event log, checks the
 * transition table against the state it finds, and appends one event; the
 * log is the only shared state, so several app instances can act at once.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { AddOutputResult } from '../../shared/airlock-api';
import type {
  BundleVerification,
  CommentVisibility,
  Identity,
  Output,
  RequestAction,
  RequestSummary,
  RequestView,
  VoteDecision,
} from '../../shared/airlock';
import type { AuditInput } from '../../shared/audit-api';
import { HorizonError } from '../../shared/errors';
import { logger } from '../log';
import { requireRole } from '../policy/identity';
import { crashPoint } from '../testing/crash-point';
import type { EffectiveDisclosure } from '../policy/schema';
import { MANIFEST, verifyBundle, writeBundle, type BundleFile } from './bundle';
import { slug } from './csv';
import { evaluateFiles, freezeFiles } from './evaluate';
import { requestDir, type AirlockFolders } from './folders';
import {
  interruptedBundle,
  removeAbandonedStaging,
  type WrittenBundle,
} from './interrupted-release';
import { validateOutput } from './outputs';
import {
  REQUIRED_VOTES,
  foldRequest,
  turnVotes,
  type DraftFile,
  type RequestRecord,
} from './request-state';
import { putBlob, readBlob, sha256 } from './store/blobs';
import { appendEvent, readEvents, type EventBody } from './store/event-log';
import { actorsFor, requireTransition } from './transitions';
import { buildView, canView, summarize } from './views';

export { REQUIRED_VOTES };

export interface AirlockContext {
  folders: AirlockFolders;
  identity: () => Identity;
  rules: () => EffectiveDisclosure;
  /** Records each export action in the audit log; a failure is logged and the action is kept. */
  audit?: (input: AuditInput) => void;
}

export interface CustomFileInput {
  requestId?: string;
  title: string;
  fileName: string;
  bytes: Buffer;
  context?: string;
}

export class Airlock {
  constructor(private readonly context: AirlockContext) {}

  get folders(): AirlockFolders {
    return this.context.folders;
  }

  create(input: { title: string; purpose: string }): RequestView {
    const identity = requireRole('analyst', this.context.identity());
    const id = `r-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(5).toString('hex')}`;
    const dir = requestDir(this.context.folders.folder, id);
    try {
      mkdirSync(join(this.context.folders.folder, 'requests'), { recursive: true });
      mkdirSync(dir);
    } catch (error) {
      throw new HorizonError(
        'airlock_unavailable',
        `Cannot create a request in ${this.context.folders.folder}: ${(error as Error).message}. ` +
          'Check that the airlock folder exists and is writable.',
        { path: this.context.folders.folder },
      );
    }
    appendEvent(dir, identity.user, () => ({
      type: 'created',
      data: { title: input.title, purpose: input.purpose },
    }));
    this.audit('export.create', id, identity);
    return this.view(id, identity);
  }

  list(): RequestSummary[] {
    const identity = this.context.identity();
    const root = join(this.context.folders.folder, 'requests');
    if (!existsSync(root)) return [];
    const summaries: RequestSummary[] = [];
    for (const id of readdirSync(root)
      .filter((name) => name.startsWith('r-'))
      .sort()) {
      try {
        const record = this.load(id);
        if (canView(identity, record)) summaries.push(summarize(record));
      } catch (error) {
        // A tampered request stays visible to reviewers so the problem is seen, not hidden.
        logger.warn('airlock request unreadable', {
          requestId: id,
          error: (error as Error).message,
        });
        if (identity.roles.includes('reviewer') || identity.roles.includes('admin'))
          summaries.push({
            id,
            title: '',
            author: '',
            state: 'draft',
            turn: 0,
            files: 0,
            createdAt: '',
            updatedAt: '',
            problem: (error as Error).message,
          });
      }
    }
    return summaries.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  get(requestId: string): RequestView {
    return this.view(requestId, this.context.identity());
  }

  addOutput(input: { requestId?: string; output: Output }): AddOutputResult {
    const identity = requireRole('analyst', this.context.identity());
    validateOutput(input.output);
    const requestId =
      input.requestId ??
      this.newestDraft(identity) ??
      this.create({ title: 'Export request', purpose: '' }).id;
    const dir = this.dir(requestId);
    const { output } = input;
    const originalSha = putBlob(
      dir,
      JSON.stringify({ table: output.table, contributors: output.contributors }),
    );
    const imageSha = output.image
      ? putBlob(dir, Buffer.from(output.image.dataBase64, 'base64'))
      : null;
    let fileId = `f-${randomBytes(5).toString('hex')}`;
    this.append(requestId, identity, 'edit', (record) => {
      // Adding an output again (same title and source) replaces it, so a
      // corrected table keeps its id, context and reviewers' diff.
      const previous = record.files.find(
        (file) => file.title === output.title && file.source === output.source,
      );
      if (previous) {
        fileId = previous.fileId;
        return {
          type: 'file-replaced',
          data: { fileId, originalSha, imageSha, imageFormat: output.image?.format ?? null },
        };
      }
      return {
        type: 'file-added',
        data: {
          file: {
            fileId,
            title: output.title,
            source: output.source,
            kind: output.kind,
            name: uniqueName(record, slug(output.title)),
            originalSha,
            imageSha,
            imageFormat: output.image?.format ?? null,
            customSha: null,
            customExtension: null,
            context: '',
            group: '',
            addedBy: identity.user,
            addedAt: new Date().toISOString(),
          } satisfies DraftFile,
        },
      };
    });
    this.audit('export.add', requestId, identity, { fileId, source: output.source });
    const record = this.load(requestId);
    const evaluated = evaluateFiles(dir, record.files, this.context.rules());
    const checks = evaluated.find((entry) => entry.file.fileId === fileId)?.checks ?? [];
    return { requestId, fileId, checks };
  }

  /** Add a file Horizon did not produce; it is marked for manual review. */
  addCustomFile(input: CustomFileInput): AddOutputResult {
    const identity = requireRole('analyst', this.context.identity());
    const requestId =
      input.requestId ??
      this.newestDraft(identity) ??
      this.create({ title: 'Export request', purpose: '' }).id;
    const dir = this.dir(requestId);
    // Only a plain extension may reach the bundle's file name; anything else is checked as 'bin'.
    const typed = extname(input.fileName).slice(1).toLowerCase();
    const extension = /^[a-z0-9]{1,10}$/.test(typed) ? typed : 'bin';
    const customSha = putBlob(dir, input.bytes);
    const fileId = `f-${randomBytes(5).toString('hex')}`;
    this.append(requestId, identity, 'edit', (record) => ({
      type: 'file-added',
      data: {
        file: {
          fileId,
          title: input.title,
          source: 'custom',
          kind: 'custom',
          name: uniqueName(record, slug(input.fileName.replace(/\.[^.]*$/, ''))),
          originalSha: null,
          imageSha: null,
          imageFormat: null,
          customSha,
          customExtension: extension,
          context: input.context ?? '',
          group: '',
          addedBy: identity.user,
          addedAt: new Date().toISOString(),
        } satisfies DraftFile,
      },
    }));
    this.audit('export.add', requestId, identity, { fileId, source: 'custom' });
    const record = this.load(requestId);
    const evaluated = evaluateFiles(dir, record.files, this.context.rules());
    return {
      requestId,
      fileId,
      checks: evaluated.find((entry) => entry.file.fileId === fileId)?.checks ?? [],
    };
  }

  update(input: { requestId: string; title?: string; purpose?: string }): RequestView {
    const identity = this.context.identity();
    this.append(input.requestId, identity, 'edit', () => ({
      type: 'updated',
      data: {
        ...(input.title === undefined ? {} : { title: input.title }),
        ...(input.purpose === undefined ? {} : { purpose: input.purpose }),
      },
    }));
    return this.view(input.requestId, identity);
  }

  setContext(input: {
    requestId: string;
    fileId: string;
    context: string;
    controls?: string;
    group?: string;
  }): RequestView {
    const identity = this.context.identity();
    this.append(input.requestId, identity, 'edit', (record) => {
      requireFile(record, input.fileId);
      return {
        type: 'context-set',
        data: {
          fileId: input.fileId,
          context: input.context,
          ...(input.controls === undefined ? {} : { controls: input.controls }),
          ...(input.group === undefined ? {} : { group: input.group }),
        },
      };
    });
    return this.view(input.requestId, identity);
  }

  removeFile(input: { requestId: string; fileId: string }): RequestView {
    const identity = this.context.identity();
    this.append(input.requestId, identity, 'edit', (record) => {
      requireFile(record, input.fileId);
      return { type: 'file-removed', data: { fileId: input.fileId } };
    });
    this.audit('export.remove', input.requestId, identity, { fileId: input.fileId });
    return this.view(input.requestId, identity);
  }

  submit(requestId: string): RequestView {
    const identity = this.context.identity();
    const rules = this.context.rules();
    const dir = this.dir(requestId);
    this.append(requestId, identity, 'submit', (record) => {
      if (!record.purpose.trim())
        throw new HorizonError(
          'airlock_invalid_output',
          `Request ${requestId} has no purpose. Describe why these outputs need to leave, then submit.`,
          { field: 'purpose' },
        );
      if (record.files.length === 0)
        throw new HorizonError(
          'airlock_invalid_output',
          `Request ${requestId} has no files to submit.`,
          {
            field: 'files',
          },
        );
      const evaluated = evaluateFiles(dir, record.files, rules);
      for (const entry of evaluated) {
        const failed = entry.checks.find((check) => check.outcome === 'fail');
        if (failed)
          throw new HorizonError(
            'airlock_checks_failed',
            `Cannot submit ${requestId}: "${entry.file.title}" fails the ${failed.rule} check: ${failed.message}`,
            { file: entry.file.title, rule: failed.rule },
          );
      }
      return {
        type: 'submitted',
        data: { turn: record.turn + 1, files: freezeFiles(dir, evaluated), policy: { ...rules } },
      };
    });
    this.audit('export.submit', requestId, identity);
    return this.view(requestId, identity);
  }

  withdraw(requestId: string): RequestView {
    return this.simple(requestId, 'withdraw', 'withdrawn', {});
  }

  vote(input: {
    requestId: string;
    fileId: string;
    decision: VoteDecision;
    comment?: string;
  }): RequestView {
    const identity = this.context.identity();
    this.append(input.requestId, identity, 'vote', (record) => {
      const submission = record.submissions.at(-1)!;
      const file = submission.files.find((f) => f.fileId === input.fileId);
      if (!file)
        throw new HorizonError(
          'airlock_not_found',
          `Request ${input.requestId} has no file ${input.fileId} in turn ${record.turn}.`,
          { requestId: input.requestId },
        );
      const votes = turnVotes(record, input.fileId);
      if (votes.some((vote) => vote.user === identity.user))
        throw new HorizonError(
          'airlock_invalid_transition',
          `${identity.user} already voted on "${file.title}" in turn ${record.turn}; each reviewer votes once per file.`,
          { action: 'vote', state: record.state, requestId: input.requestId },
        );
      if (votes.length >= REQUIRED_VOTES)
        throw new HorizonError(
          'airlock_invalid_transition',
          `"${file.title}" already has ${REQUIRED_VOTES} votes in turn ${record.turn}.`,
          { action: 'vote', state: record.state, requestId: input.requestId },
        );
      const complete = submission.files.every(
        (f) =>
          turnVotes(record, f.fileId).length + (f.fileId === input.fileId ? 1 : 0) >=
          REQUIRED_VOTES,
      );
      return {
        type: 'vote',
        data: {
          turn: record.turn,
          fileId: input.fileId,
          sha256: file.sha256,
          decision: input.decision,
          state: complete ? 'reviewed' : 'partially_reviewed',
        },
      };
    });
    if (input.comment?.trim())
      this.comment({
        requestId: input.requestId,
        fileId: input.fileId,
        text: input.comment,
        visibility: 'all',
      });
    this.audit('export.vote', input.requestId, identity, {
      fileId: input.fileId,
      decision: input.decision,
    });
    return this.view(input.requestId, identity);
  }

  comment(input: {
    requestId: string;
    fileId?: string;
    text: string;
    visibility: CommentVisibility;
  }): RequestView {
    const identity = this.context.identity();
    this.append(input.requestId, identity, 'comment', (record) => {
      if (input.fileId !== undefined && !fileIds(record).has(input.fileId))
        throw new HorizonError(
          'airlock_not_found',
          `Request ${input.requestId} has no file ${input.fileId}.`,
          {
            requestId: input.requestId,
          },
        );
      if (input.visibility === 'reviewers' && identity.user === record.author)
        throw new HorizonError(
          'forbidden',
          `${identity.user} is the author of ${input.requestId}; comments private to reviewers are for reviewers only.`,
          { user: identity.user, role: 'reviewer' },
        );
      return {
        type: 'comment',
        data: {
          id: `c-${randomBytes(5).toString('hex')}`,
          fileId: input.fileId ?? null,
          text: input.text,
          visibility: input.visibility,
        },
      };
    });
    this.audit('export.comment', input.requestId, identity, { visibility: input.visibility });
    return this.view(input.requestId, identity);
  }

  approve(requestId: string): RequestView {
    const identity = this.context.identity();
    this.append(requestId, identity, 'approve', (record) => {
      requireApprovals(record);
      return { type: 'approved', data: {} };
    });
    this.audit('export.approve', requestId, identity);
    return this.view(requestId, identity);
  }

  returnRequest(requestId: string, comment: string): RequestView {
    return this.simple(requestId, 'return', 'returned', { comment });
  }

  reject(requestId: string, comment: string): RequestView {
    return this.simple(requestId, 'reject', 'rejected', { comment });
  }

  /**
   * Re-verify the log and every file's hash, write the bundle, then record the
   * release. A bundle left in the outbox by a release killed before it was
   * recorded is taken over when it holds exactly the approved files.
   */
  release(requestId: string): RequestView & { verification: BundleVerification } {
    const identity = this.context.identity();
    const dir = this.dir(requestId);
    const outbox = this.context.folders.outbox;
    removeAbandonedStaging(outbox, requestId);

    // Held in an object because the log calls `decide` again after losing a race.
    const attempt: { bundle: WrittenBundle | null; takenOver: boolean } = {
      bundle: null,
      takenOver: false,
    };
    try {
      this.append(requestId, identity, 'release', (record) => {
        requireApprovals(record);
        if (attempt.bundle && !attempt.takenOver)
          rmSync(attempt.bundle.path, { recursive: true, force: true });
        attempt.bundle = null;
        const left = interruptedBundle(outbox, record);
        attempt.takenOver = left !== null;
        attempt.bundle = left ?? this.writeReleaseBundle(dir, record, identity);
        if (!left) crashPoint('airlock.release.bundle-written');
        return {
          type: 'released',
          data: {
            bundle: attempt.bundle.path,
            manifestSha256: attempt.bundle.manifestSha256,
            ...(left ? { recovered: true } : {}),
          },
        };
      });
    } catch (error) {
      // Remove a bundle this call wrote unless another release recorded it
      // (one that took it over while this call was still running).
      const { bundle, takenOver } = attempt;
      if (bundle && !takenOver && this.recordedManifest(requestId) !== bundle.manifestSha256)
        rmSync(bundle.path, { recursive: true, force: true });
      throw error;
    }

    const bundle = attempt.bundle!.path;
    this.audit('export.release', requestId, identity, {
      bundle,
      ...(attempt.takenOver ? { recovered: 'interrupted release' } : {}),
    });
    return { ...this.view(requestId, identity), verification: verifyBundle(bundle) };
  }

  /**
   * Verify a bundle and compare its manifest with the hash the request's log
   * recorded at release, which catches a manifest rewritten with a matching
   * integrity field.
   */
  verifyReleased(bundle: string): BundleVerification {
    const verification = verifyBundle(bundle);
    if (!verification.requestId) return verification;
    const manifestPath = join(bundle, MANIFEST);
    let record: RequestRecord;
    try {
      record = this.load(verification.requestId);
    } catch (error) {
      verification.problems.push({
        kind: 'manifest-hash-mismatch',
        path: manifestPath,
        message: `The airlock log of ${verification.requestId} cannot confirm the manifest: ${(error as Error).message}`,
      });
      return { ...verification, ok: false };
    }
    const recorded = record.released?.manifestSha256;
    const actual = existsSync(manifestPath) ? sha256(readFileSync(manifestPath)) : null;
    if (recorded !== actual) {
      verification.problems.push({
        kind: 'manifest-hash-mismatch',
        path: manifestPath,
        message: recorded
          ? `${MANIFEST} has sha256 ${actual}, but the airlock log recorded ${recorded} when ${verification.requestId} was released.`
          : `The airlock log has no release of ${verification.requestId}.`,
      });
      return { ...verification, ok: false };
    }
    return verification;
  }

  /** Return the manifest hash the log recorded at release, or null when none is recorded or the log is unreadable. */
  private recordedManifest(requestId: string): string | null {
    try {
      return this.load(requestId).released?.manifestSha256 ?? null;
    } catch {
      return null;
    }
  }

  private writeReleaseBundle(dir: string, record: RequestRecord, identity: Identity) {
    const submission = record.submissions.at(-1)!;
    const files: BundleFile[] = [];
    for (const file of submission.files) {
      const what = `file "${file.name}" (${file.fileId}) of request ${record.id}`;
      const common = {
        fileId: file.fileId,
        title: file.title,
        source: file.source,
        kind: file.kind,
        context: file.context,
        controls: file.controls ?? '',
        group: file.group,
        checks: file.checks,
        votes: turnVotes(record, file.fileId),
      };
      files.push({
        manifest: { ...common, path: `files/${file.name}`, part: 'data' },
        bytes: readBlob(dir, file.sha256, what),
      });
      if (file.imageSha256 && file.imageName)
        files.push({
          manifest: { ...common, path: `files/${file.imageName}`, part: 'image' },
          bytes: readBlob(
            dir,
            file.imageSha256,
            `image ${file.imageName} (${file.fileId}) of request ${record.id}`,
          ),
        });
    }
    const identityPolicy = this.context.identity().policyFile;
    return writeBundle(
      this.context.folders.outbox,
      {
        format: 'horizon-export-bundle',
        version: 1,
        request: {
          id: record.id,
          title: record.title,
          purpose: record.purpose,
          author: record.author,
          turn: record.turn,
          createdAt: record.createdAt,
          submittedAt: submission.time,
        },
        release: { time: new Date().toISOString(), user: identity.user },
        policy: { file: identityPolicy, disclosure: submission.policy },
        comments: record.comments.filter((comment) => comment.visibility === 'all'),
        log: { entries: record.events.length, headHash: record.events.at(-1)!.hash },
      },
      files,
    );
  }

  private simple(
    requestId: string,
    action: RequestAction,
    type: string,
    data: Record<string, unknown>,
  ): RequestView {
    const identity = this.context.identity();
    this.append(requestId, identity, action, () => ({ type, data }));
    this.audit(`export.${action}`, requestId, identity);
    return this.view(requestId, identity);
  }

  private append(
    requestId: string,
    identity: Identity,
    action: RequestAction,
    decide: (record: RequestRecord) => EventBody,
  ): void {
    const dir = this.dir(requestId);
    appendEvent(dir, identity.user, (events) => {
      const record = foldRequest(requestId, events);
      if (!canView(identity, record))
        throw new HorizonError('airlock_not_found', `Request ${requestId} was not found.`, {
          requestId,
        });
      requireTransition(
        action,
        record.state,
        actorsFor(identity, record.author),
        identity,
        requestId,
      );
      return decide(record);
    });
  }

  private load(requestId: string): RequestRecord {
    return foldRequest(requestId, readEvents(this.dir(requestId)));
  }

  private view(requestId: string, identity: Identity): RequestView {
    const record = this.load(requestId);
    if (!canView(identity, record))
      throw new HorizonError('airlock_not_found', `Request ${requestId} was not found.`, {
        requestId,
      });
    return buildView(this.dir(requestId), record, identity, this.context.rules());
  }

  private dir(requestId: string): string {
    if (!/^r-[0-9a-z-]+$/.test(requestId))
      throw new HorizonError('airlock_not_found', `${requestId} is not a request id.`, {
        requestId,
      });
    const dir = requestDir(this.context.folders.folder, requestId);
    if (!existsSync(dir))
      throw new HorizonError(
        'airlock_not_found',
        `Request ${requestId} was not found in ${this.context.folders.folder}.`,
        { requestId },
      );
    return dir;
  }

  private newestDraft(identity: Identity): string | null {
    const drafts = this.list().filter((r) => r.author === identity.user && r.state === 'draft');
    return drafts.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]?.id ?? null;
  }

  private audit(
    action: string,
    requestId: string,
    identity: Identity,
    details: Record<string, string> = {},
  ): void {
    if (!this.context.audit) return;
    try {
      this.context.audit({
        action,
        objectType: 'export-request',
        objectId: requestId,
        details: { actingUser: identity.user, ...details },
      });
    } catch (error) {
      logger.error('audit append failed', { action, requestId, error: (error as Error).message });
    }
  }
}

function requireFile(record: RequestRecord, fileId: string): void {
  if (!record.files.some((file) => file.fileId === fileId))
    throw new HorizonError('airlock_not_found', `Request ${record.id} has no file ${fileId}.`, {
      requestId: record.id,
    });
}

function fileIds(record: RequestRecord): Set<string> {
  return new Set([
    ...record.files.map((f) => f.fileId),
    ...(record.submissions.at(-1)?.files.map((f) => f.fileId) ?? []),
  ]);
}

/** Throw unless every file of the current turn has approvals from two different reviewers. */
function requireApprovals(record: RequestRecord): void {
  const submission = record.submissions.at(-1);
  for (const file of submission?.files ?? []) {
    const approvals = new Set(
      turnVotes(record, file.fileId)
        .filter((vote) => vote.decision === 'approve' && vote.user !== record.author)
        .map((vote) => vote.user),
    );
    if (approvals.size < REQUIRED_VOTES)
      throw new HorizonError(
        'airlock_invalid_transition',
        `"${file.title}" has ${approvals.size} approval(s) in turn ${record.turn}; ${REQUIRED_VOTES} ` +
          'different reviewers must approve every file.',
        { action: 'approve', state: record.state, requestId: record.id },
      );
  }
}

function uniqueName(record: RequestRecord, stem: string): string {
  const taken = new Set(record.files.map((file) => file.name));
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}
