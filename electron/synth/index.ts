/**
 * The synthetic population: a documented generative model of people followed
 * from birth (hazards.ts), written as MEDS or into the cache, with the ground
 * truth of every person's risk of each code from any cutoff.
 */
export { synthesizeIntoCache, type SynthesizeIntoCacheOptions } from './cache';
export { CODES, OUTCOME_COUNT } from './codes';
export {
  describePopulation,
  formatPopulation,
  type DescribeOptions,
  type PopulationDescription,
} from './describe';
export {
  DEFAULT_END,
  DEFAULT_START,
  MODEL_VERSION,
  SYNTHETIC_DATASET_NAME,
  synthesizeMeds,
  type SynthesisParameters,
  type SynthesisProgress,
  type SynthesisSummary,
  type SynthesizeOptions,
} from './meds-output';
export {
  computeTruth,
  OUTCOME_CODES,
  readSynthesisParameters,
  type PersonTruth,
  type TruthOptions,
  type TruthSummary,
} from './truth';
