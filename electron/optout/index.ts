/** Opt-out registry: people whose records must not be used are kept out of the cache. */
export { readOptOutList } from './read-list';
export { addOptOuts, loadOptOuts, optOutCount, OptOutSet, type PurgeCounts } from './registry';
