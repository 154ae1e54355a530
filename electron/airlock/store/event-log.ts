/**
 * The append-only, hash-chained event log of one request: one file per event
 * (events/00000001.json, ...), each holding the sha256 of its predecessor.
 * Appending creates the next numbered file exclusively, so when two app
 * instances append at once one of them gets EEXIST, re-reads the log,
 * re-checks its action against the new state and takes the next number.
 * head.json records the newest entry written, so deleting entries at the end
 * of the log is detected too.
 *
 * NOTE: someone who deletes the last entries and head.json together leaves a
 * valid shorter log. The audit log's export entries record every action and
 * are the cross-check for that.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HorizonError } from '../../../shared/errors';
import { createExclusive, writeFileAtomic } from './atomic';
import { sha256 } from './blobs';

export const GENESIS = '0'.repeat(64);
const ENTRY = /^(\d{8})\.json$/;
/** Attempts before giving up when other instances keep appending first. */
const MAX_ATTEMPTS = 50;

export interface StoredEvent {
  seq: number;
  time: string;
  user: string;
  type: string;
  data: Record<string, unknown>;
  prev: string;
  hash: string;
}

export type EventBody = Pick<StoredEvent, 'type' | 'data'>;

export function hashEvent(event: Omit<StoredEvent, 'hash'>): string {
  return sha256(
    JSON.stringify({
      seq: event.seq,
      time: event.time,
      user: event.user,
      type: event.type,
      data: event.data,
      prev: event.prev,
    }),
  );
}

function entryName(seq: number): string {
  return `${String(seq).padStart(8, '0')}.json`;
}

export interface LogProblem {
  /** Sequence number of the first bad entry. */
  seq: number;
  path: string;
  message: string;
}

export interface LogReading {
  events: StoredEvent[];
  problem: LogProblem | null;
}

/** Read and verify the whole log; stops at the first bad entry and reports it. */
export function readLog(requestDir: string): LogReading {
  // The head is read before the entries: a writer creates its entry before it
  // moves the head, so every entry the head names is then already listed.
  const head = readHead(requestDir);
  const dir = join(requestDir, 'events');
  const names = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => ENTRY.test(name))
        .sort()
    : [];
  const events: StoredEvent[] = [];
  let prev = GENESIS;
  for (let index = 0; index < names.length; index++) {
    const expectedSeq = index + 1;
    const path = join(dir, names[index]!);
    const bad = (message: string): LogReading => ({
      events,
      problem: { seq: expectedSeq, path, message },
    });
    if (names[index] !== entryName(expectedSeq))
      return bad(`entry ${expectedSeq} is missing (found ${names[index]} in its place)`);
    let event: StoredEvent;
    try {
      event = JSON.parse(readFileSync(path, 'utf8')) as StoredEvent;
    } catch (error) {
      return bad(
        `entry ${expectedSeq} is not valid JSON (truncated or edited): ${(error as Error).message}`,
      );
    }
    if (event.seq !== expectedSeq) return bad(`entry ${expectedSeq} claims sequence ${event.seq}`);
    if (event.prev !== prev)
      return bad(
        `entry ${expectedSeq} does not link to entry ${expectedSeq - 1} (previous hash differs)`,
      );
    if (hashEvent(event) !== event.hash)
      return bad(`entry ${expectedSeq} was edited: its content no longer matches its hash`);
    events.push(event);
    prev = event.hash;
  }

  if (head && head.seq > 0) {
    const atHead = events[head.seq - 1];
    if (!atHead || atHead.hash !== head.hash)
      return {
        events,
        problem: {
          seq: Math.min(head.seq, events.length + 1),
          path: join(requestDir, 'head.json'),
          message: atHead
            ? `entry ${head.seq} differs from the one recorded in head.json`
            : `entries up to ${head.seq} were written but the log ends at ${events.length} (truncated)`,
        },
      };
  }
  return { events, problem: null };
}

/** Read the log, throwing airlock_tampered at the first bad entry. */
export function readEvents(requestDir: string): StoredEvent[] {
  const { events, problem } = readLog(requestDir);
  if (problem)
    throw new HorizonError(
      'airlock_tampered',
      `The event log of ${requestDir} failed verification at entry ${problem.seq} (${problem.path}): ` +
        `${problem.message}.`,
      { path: problem.path, seq: problem.seq },
    );
  return events;
}

function readHead(requestDir: string): { seq: number; hash: string } | null {
  try {
    return JSON.parse(readFileSync(join(requestDir, 'head.json'), 'utf8')) as {
      seq: number;
      hash: string;
    };
  } catch {
    return null;
  }
}

/**
 * Append one event. `decide` receives the verified log so far and returns the
 * event to append, or throws when the action is not allowed in that state.
 * It runs again after another instance appended first.
 */
export function appendEvent(
  requestDir: string,
  user: string,
  decide: (events: StoredEvent[]) => EventBody,
): StoredEvent {
  mkdirSync(join(requestDir, 'events'), { recursive: true });
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const events = readEvents(requestDir);
    const body = decide(events);
    const last = events.at(-1);
    const partial = {
      seq: events.length + 1,
      time: new Date().toISOString(),
      user,
      type: body.type,
      data: body.data,
      prev: last?.hash ?? GENESIS,
    };
    const event: StoredEvent = { ...partial, hash: hashEvent(partial) };
    const path = join(requestDir, 'events', entryName(event.seq));
    if (createExclusive(path, JSON.stringify(event, null, 2) + '\n')) {
      updateHead(requestDir, event);
      return event;
    }
  }
  throw new HorizonError(
    'airlock_conflict',
    `Could not append to ${requestDir}: other instances kept writing first (${MAX_ATTEMPTS} attempts).`,
    { path: requestDir },
  );
}

/** Move head.json forward; an older head left by a slower instance is fine because readLog only checks the entry it names. */
function updateHead(requestDir: string, event: StoredEvent): void {
  const head = readHead(requestDir);
  if (head && head.seq >= event.seq) return;
  writeFileAtomic(
    join(requestDir, 'head.json'),
    JSON.stringify({ seq: event.seq, hash: event.hash }) + '\n',
  );
}
