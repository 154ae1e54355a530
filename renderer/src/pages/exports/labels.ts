/** Catalog keys for the airlock's states, rules, outcomes and changes. */
import type {
  CheckOutcome,
  CheckRule,
  FileChange,
  RequestAction,
  RequestState,
  Role,
} from '../../../../shared/airlock';
import type { MessageKey } from '../../i18n/en';

export const stateKeys: Record<RequestState, MessageKey> = {
  draft: 'exports.state.draft',
  submitted: 'exports.state.submitted',
  partially_reviewed: 'exports.state.partially_reviewed',
  reviewed: 'exports.state.reviewed',
  approved: 'exports.state.approved',
  released: 'exports.state.released',
  returned: 'exports.state.returned',
  rejected: 'exports.state.rejected',
  withdrawn: 'exports.state.withdrawn',
};

export const ruleKeys: Record<CheckRule, MessageKey> = {
  threshold: 'exports.rule.threshold',
  zeros: 'exports.rule.zeros',
  rounding: 'exports.rule.rounding',
  dominance: 'exports.rule.dominance',
  'p-ratio': 'exports.rule.p-ratio',
  'secondary-suppression': 'exports.rule.secondary-suppression',
  'derived-rate': 'exports.rule.derived-rate',
  'max-rows': 'exports.rule.max-rows',
  'file-type': 'exports.rule.file-type',
  'row-level': 'exports.rule.row-level',
  'chart-image': 'exports.rule.chart-image',
  'custom-output': 'exports.rule.custom-output',
};

export const outcomeKeys: Record<CheckOutcome, MessageKey> = {
  pass: 'exports.outcome.pass',
  suppressed: 'exports.outcome.suppressed',
  fail: 'exports.outcome.fail',
  review: 'exports.outcome.review',
};

export const roleKeys: Record<Role, MessageKey> = {
  analyst: 'exports.role.analyst',
  reviewer: 'exports.role.reviewer',
  admin: 'exports.role.admin',
};

export const changeKeys: Record<FileChange['change'], MessageKey> = {
  added: 'exports.change.added',
  removed: 'exports.change.removed',
  changed: 'exports.change.changed',
  context: 'exports.change.context',
  unchanged: 'exports.change.unchanged',
};

/** Request-level actions shown as buttons; edit, vote and comment have their own controls. */
export const requestActionKeys: Partial<Record<RequestAction, MessageKey>> = {
  submit: 'exports.action.submit',
  withdraw: 'exports.action.withdraw',
  approve: 'exports.action.approve',
  return: 'exports.action.return',
  reject: 'exports.action.reject',
  release: 'exports.action.release',
};

export const outcomeColors: Record<CheckOutcome, 'success' | 'warning' | 'error' | 'info'> = {
  pass: 'success',
  suppressed: 'warning',
  fail: 'error',
  review: 'info',
};

/** History entries by event type. */
export const eventKeys: Record<string, MessageKey> = {
  created: 'exports.event.created',
  updated: 'exports.event.updated',
  'file-added': 'exports.event.file-added',
  'file-replaced': 'exports.event.file-replaced',
  'file-removed': 'exports.event.file-removed',
  'context-set': 'exports.event.context-set',
  submitted: 'exports.event.submitted',
  vote: 'exports.event.vote',
  comment: 'exports.event.comment',
  approved: 'exports.event.approved',
  returned: 'exports.event.returned',
  rejected: 'exports.event.rejected',
  withdrawn: 'exports.event.withdrawn',
  released: 'exports.event.released',
};
