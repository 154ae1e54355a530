/**
 * The one table of valid request transitions: for each action, the states it
 * may start from, the states it may lead to and who may take it. The author
 * of a request is only ever 'author', whatever roles the policy grants them,
 * so an author can never review, approve or release their own request.
 */
import type { Actor, Identity, RequestAction, RequestState } from '../../shared/airlock';
import { HorizonError } from '../../shared/errors';

export interface Transition {
  action: RequestAction;
  from: readonly RequestState[];
  /** The states the action may produce; an empty list means the state does not change. */
  to: readonly RequestState[];
  actors: readonly Actor[];
}

const OPEN: RequestState[] = [
  'draft',
  'submitted',
  'partially_reviewed',
  'reviewed',
  'approved',
  'returned',
];
const UNDER_REVIEW: RequestState[] = ['submitted', 'partially_reviewed', 'reviewed'];

export const TRANSITIONS: readonly Transition[] = [
  { action: 'edit', from: ['draft', 'returned'], to: [], actors: ['author'] },
  { action: 'submit', from: ['draft', 'returned'], to: ['submitted'], actors: ['author'] },
  {
    action: 'withdraw',
    from: ['draft', ...UNDER_REVIEW, 'returned'],
    to: ['withdrawn'],
    actors: ['author'],
  },
  {
    action: 'vote',
    from: ['submitted', 'partially_reviewed'],
    to: ['partially_reviewed', 'reviewed'],
    actors: ['reviewer'],
  },
  { action: 'approve', from: ['reviewed'], to: ['approved'], actors: ['reviewer', 'admin'] },
  { action: 'return', from: UNDER_REVIEW, to: ['returned'], actors: ['reviewer', 'admin'] },
  { action: 'reject', from: UNDER_REVIEW, to: ['rejected'], actors: ['reviewer', 'admin'] },
  { action: 'release', from: ['approved'], to: ['released'], actors: ['reviewer', 'admin'] },
  { action: 'comment', from: OPEN, to: [], actors: ['author', 'reviewer', 'admin'] },
];

/** Return how a user relates to a request: the author, or the review roles the policy grants them. */
export function actorsFor(identity: Identity, author: string): Actor[] {
  if (identity.user === author) return ['author'];
  const actors: Actor[] = [];
  if (identity.roles.includes('reviewer')) actors.push('reviewer');
  if (identity.roles.includes('admin')) actors.push('admin');
  return actors;
}

export function findTransition(action: RequestAction, from: RequestState): Transition | null {
  return TRANSITIONS.find((row) => row.action === action && row.from.includes(from)) ?? null;
}

export function allowedActions(state: RequestState, actors: Actor[]): RequestAction[] {
  return TRANSITIONS.filter(
    (row) => row.from.includes(state) && row.actors.some((actor) => actors.includes(actor)),
  ).map((row) => row.action);
}

/**
 * Throw unless the table allows `action` from `state` for one of `actors`:
 * airlock_invalid_transition for a wrong state, forbidden for a wrong actor.
 */
export function requireTransition(
  action: RequestAction,
  state: RequestState,
  actors: Actor[],
  identity: Identity,
  requestId: string,
): Transition {
  // Who may act is checked before when, so an author gets "authors never
  // review" whatever state the request is in.
  const rows = TRANSITIONS.filter((row) => row.action === action);
  const permitted = [...new Set(rows.flatMap((row) => row.actors))];
  if (!permitted.some((actor) => actors.includes(actor))) {
    const isAuthor = actors.includes('author');
    throw new HorizonError(
      'forbidden',
      isAuthor
        ? `${identity.user} is the author of request ${requestId} and cannot ${action} it: ` +
            'authors never review their own requests.'
        : `${identity.user} cannot ${action} request ${requestId}: only ${permitted.join(' or ')} may.`,
      { user: identity.user, role: permitted.join('/'), action, requestId },
    );
  }
  const transition = rows.find(
    (row) => row.from.includes(state) && row.actors.some((actor) => actors.includes(actor)),
  );
  if (!transition)
    throw new HorizonError(
      'airlock_invalid_transition',
      `Cannot ${action} request ${requestId}: it is ${state}, and ${action} is allowed only from ` +
        `${rows.flatMap((row) => row.from).join(', ')}.`,
      { action, state, requestId },
    );
  return transition;
}
