/**
 * The hazard table of `hazards.ts` compiled into arrays, the state of one person,
 * and the hazard of every transition for a state at an age and month.
 */
import { DAYS_PER_YEAR, Grid, monthKeyIndex, monthStart, parseDay } from './calendar';
import {
  CONDITIONS,
  COVID_CAMPAIGNS,
  COVID_ENDEMIC,
  COVID_WAVES,
  DEATH,
  EXCESS_MORTALITY,
  LIFESTYLE,
  RECORDS,
  influenzaCampaigns,
  type AgeCurve,
  type Campaign,
  type ConditionHazard,
} from './hazards';

export const MAX_AGE = 120;
const AGES = MAX_AGE + 1;

/** Risk factor slots of `PersonState.factors`; conditions follow from CONDITION_FACTOR_BASE. */
export const FACTOR = { smoker: 0, exSmoker: 1, overweight: 2, obese: 3, cancer: 4, atRisk: 5 };
const CONDITION_FACTOR_BASE = 6;

export const SMOKING = { never: 0, current: 1, former: 2 } as const;
export const BMI = { normal: 0, overweight: 1, obese: 2 } as const;
export const SEX = { female: 0, male: 1 } as const;

/** Rate of an age curve at `age` in events per 1,000 person-years (see hazards.ts for the rule). */
export function curveRate(curve: AgeCurve, age: number): number {
  if (curve.length === 0 || age < curve[0]![0]) return 0;
  for (let i = 1; i < curve.length; i++) {
    const [age1, rate1] = curve[i]!;
    if (age < age1) {
      const [age0, rate0] = curve[i - 1]!;
      const fraction = (age - age0) / (age1 - age0);
      return Math.exp(Math.log(rate0) + fraction * (Math.log(rate1) - Math.log(rate0)));
    }
  }
  return curve[curve.length - 1]![1];
}

/** Per-day hazards by sex and single year of age: index sex * AGES + age. */
function ageTable(female: AgeCurve, male: AgeCurve | null, maleRatio: number): Float64Array {
  const table = new Float64Array(2 * AGES);
  for (let age = 0; age < AGES; age++) {
    table[age] = curveRate(female, age) / 1000 / DAYS_PER_YEAR;
    table[AGES + age] =
      (male ? curveRate(male, age) : curveRate(female, age) * maleRatio) / 1000 / DAYS_PER_YEAR;
  }
  return table;
}

export interface Transition {
  name: string;
  base: Float64Array;
  riskFactors: Int32Array;
  riskRatios: Float64Array;
}

export interface CompiledCampaign extends Omit<Campaign, 'start' | 'end'> {
  index: number;
  start: number;
  end: number;
}

/** The model for one observation window. */
export class Model {
  readonly grid: Grid;
  readonly conditions: readonly ConditionHazard[] = CONDITIONS;
  /** Transitions: one per condition, then the lifestyle transitions, then death. */
  readonly transitions: Transition[] = [];
  readonly startSmoking: number;
  readonly quitSmoking: number;
  readonly becomeOverweight: number;
  readonly becomeObese: number;
  readonly loseWeight: number;
  readonly death: number;
  readonly factorCount = CONDITION_FACTOR_BASE + CONDITIONS.length;
  /** Per month index: calendar factor of `covid` conditions and of death. */
  readonly covidFactor: Float64Array;
  readonly deathFactor: Float64Array;
  readonly gpConsultation: Float64Array;
  readonly emergencyAdmission: Float64Array;
  readonly electiveAdmission: Float64Array;
  /** Powers of the per-condition multipliers, indexed by condition count. */
  readonly gpPerCondition: Float64Array;
  readonly emergencyPerCondition: Float64Array;
  readonly electivePerCondition: Float64Array;
  /** Whether each condition counts towards multimorbidity (chronic, or a cardiovascular event). */
  readonly countsAsCondition: Uint8Array;
  readonly campaigns: CompiledCampaign[];
  /** Campaign indexes by start day, for lookups at grid boundaries. */
  readonly campaignsByStart = new Map<number, CompiledCampaign[]>();

  constructor(
    readonly windowStart: number,
    readonly windowEnd: number,
  ) {
    if (!(windowEnd > windowStart)) throw new Error('The window end must be after its start.');
    this.grid = new Grid(windowStart);
    const factorIndex = this.factorIndex.bind(this);

    for (const condition of CONDITIONS) {
      this.transitions.push(
        compileTransition(
          condition.icd10,
          ageTable(condition.female, condition.male ?? null, condition.maleRatio ?? 1),
          condition.risks ?? {},
          factorIndex,
        ),
      );
    }
    const lifestyle = (name: string, curve: { female: AgeCurve; maleRatio: number }) => {
      this.transitions.push(
        compileTransition(name, ageTable(curve.female, null, curve.maleRatio), {}, factorIndex),
      );
      return this.transitions.length - 1;
    };
    this.startSmoking = lifestyle('start smoking', LIFESTYLE.startSmoking);
    this.quitSmoking = lifestyle('quit smoking', LIFESTYLE.quitSmoking);
    this.becomeOverweight = lifestyle('become overweight', LIFESTYLE.becomeOverweight);
    this.becomeObese = lifestyle('become obese', LIFESTYLE.becomeObese);
    this.loseWeight = lifestyle('lose weight', LIFESTYLE.loseWeight);
    this.transitions.push(
      compileTransition(
        'death',
        ageTable(DEATH.female, null, DEATH.maleRatio),
        DEATH.risks,
        factorIndex,
      ),
    );
    this.death = this.transitions.length - 1;

    const months = monthKeyIndex('2299-12') + 1;
    this.covidFactor = new Float64Array(months);
    this.deathFactor = new Float64Array(months).fill(1);
    const lastWave = Math.max(...Object.keys(COVID_WAVES).map(monthKeyIndex));
    for (let month = lastWave + 1; month < months; month++) this.covidFactor[month] = COVID_ENDEMIC;
    for (const [key, factor] of Object.entries(COVID_WAVES))
      this.covidFactor[monthKeyIndex(key)] = factor;
    for (const [key, factor] of Object.entries(EXCESS_MORTALITY))
      this.deathFactor[monthKeyIndex(key)] = factor;

    this.gpConsultation = ageTable(
      RECORDS.gpConsultation.female,
      null,
      RECORDS.gpConsultation.maleRatio,
    );
    this.emergencyAdmission = ageTable(
      RECORDS.emergencyAdmission.female,
      null,
      RECORDS.emergencyAdmission.maleRatio,
    );
    this.electiveAdmission = ageTable(
      RECORDS.electiveAdmission.female,
      null,
      RECORDS.electiveAdmission.maleRatio,
    );
    const powers = (base: number) =>
      Float64Array.from({ length: CONDITIONS.length + 1 }, (_, n) => base ** n);
    this.gpPerCondition = powers(RECORDS.gpConsultation.perCondition);
    this.emergencyPerCondition = powers(RECORDS.emergencyAdmission.perCondition);
    this.electivePerCondition = powers(RECORDS.electiveAdmission.perCondition);
    this.countsAsCondition = Uint8Array.from(CONDITIONS, (condition) =>
      condition.kind === 'chronic' || condition.chapter === 'cardiovascular' ? 1 : 0,
    );

    const startYear = new Date(windowStart * 86_400_000).getUTCFullYear();
    const endYear = new Date(windowEnd * 86_400_000).getUTCFullYear();
    this.campaigns = [...influenzaCampaigns(startYear - 1, endYear + 5), ...COVID_CAMPAIGNS]
      .map((campaign, index) => ({
        ...campaign,
        index,
        start: parseDay(campaign.start, 'campaign start'),
        end: parseDay(campaign.end, 'campaign end'),
      }))
      // Only campaigns that start on a grid boundary inside the window are run.
      .filter((campaign) => campaign.start >= windowStart);
    for (const campaign of this.campaigns) {
      const list = this.campaignsByStart.get(campaign.start) ?? [];
      list.push(campaign);
      this.campaignsByStart.set(campaign.start, list);
    }
  }

  static fromDates(start: string, end: string): Model {
    return new Model(parseDay(start, 'start date'), parseDay(end, 'end date'));
  }

  /** Factor slot of a risk factor name, or throw for a name the table does not define. */
  factorIndex(name: string): number {
    if (name in FACTOR) return FACTOR[name as keyof typeof FACTOR];
    const condition = CONDITIONS.findIndex((c) => c.icd10 === name);
    if (condition < 0) throw new Error(`Unknown risk factor "${name}" in the hazard table.`);
    return CONDITION_FACTOR_BASE + condition;
  }

  conditionFactor(condition: number): number {
    return CONDITION_FACTOR_BASE + condition;
  }

  /** Age in whole years (capped at MAX_AGE) at the start of the interval containing `day`. */
  intervalAge(state: PersonState, day: number): number {
    const start = Math.max(state.birth, this.grid.intervalStart(day));
    return Math.min(MAX_AGE, Math.floor((start - state.birth) / DAYS_PER_YEAR));
  }

  /**
   * Fill `hazards` (per day) with every transition's hazard for `state` in an
   * interval that starts at `age` and in calendar month `month`.
   */
  computeHazards(state: PersonState, age: number, month: number, hazards: Float64Array): void {
    const sexAge = state.sex * AGES + age;
    const factors = state.factors;
    for (let t = 0; t < this.transitions.length; t++) {
      const transition = this.transitions[t]!;
      let hazard = transition.base[sexAge]!;
      if (hazard === 0) {
        hazards[t] = 0;
        continue;
      }
      const riskFactors = transition.riskFactors;
      for (let r = 0; r < riskFactors.length; r++) {
        if (factors[riskFactors[r]!] === 1) hazard *= transition.riskRatios[r]!;
      }
      hazards[t] = hazard;
    }

    for (let c = 0; c < this.conditions.length; c++) {
      const condition = this.conditions[c]!;
      if (condition.kind === 'chronic' && state.onset[c] === state.onset[c]) hazards[c] = 0;
      else if (condition.covid) hazards[c]! *= this.covidFactor[month]!;
    }
    hazards[this.startSmoking]! *= state.smoking === SMOKING.never ? state.smokingCohort : 0;
    if (state.smoking !== SMOKING.current) hazards[this.quitSmoking] = 0;
    const adult = age >= LIFESTYLE.adultAge;
    if (!adult || state.bmi !== BMI.normal) hazards[this.becomeOverweight] = 0;
    if (!adult || state.bmi !== BMI.overweight) hazards[this.becomeObese] = 0;
    if (state.bmi !== BMI.obese) hazards[this.loseWeight] = 0;
    hazards[this.death]! *= this.deathFactor[month]!;
  }

  /** Apply transition `t` at `day` to `state`. */
  apply(state: PersonState, t: number, day: number): void {
    const factors = state.factors;
    state.version++;
    if (t < this.conditions.length) {
      if (state.onset[t] === state.onset[t]) return;
      state.onset[t] = day;
      factors[this.conditionFactor(t)] = 1;
      const condition = this.conditions[t]!;
      if (condition.chapter === 'cancer') factors[FACTOR.cancer] = 1;
      if (condition.atRisk) factors[FACTOR.atRisk] = 1;
      state.conditionCount += this.countsAsCondition[t]!;
      return;
    }
    switch (t) {
      case this.startSmoking:
        state.smoking = SMOKING.current;
        factors[FACTOR.smoker] = 1;
        break;
      case this.quitSmoking:
        state.smoking = SMOKING.former;
        factors[FACTOR.smoker] = 0;
        factors[FACTOR.exSmoker] = 1;
        break;
      case this.becomeOverweight:
        state.bmi = BMI.overweight;
        factors[FACTOR.overweight] = 1;
        break;
      case this.becomeObese:
        state.bmi = BMI.obese;
        factors[FACTOR.overweight] = 0;
        factors[FACTOR.obese] = 1;
        break;
      case this.loseWeight:
        state.bmi = BMI.overweight;
        factors[FACTOR.obese] = 0;
        factors[FACTOR.overweight] = 1;
        break;
      case this.death:
        state.death = day;
        break;
    }
  }

  /** Routine GP consultations per day for `state` at `age` (see RECORDS). */
  gpRate(state: PersonState, age: number): number {
    return (
      this.gpConsultation[state.sex * AGES + age]! * this.gpPerCondition[state.conditionCount]!
    );
  }

  emergencyRate(state: PersonState, age: number): number {
    return (
      this.emergencyAdmission[state.sex * AGES + age]! *
      this.emergencyPerCondition[state.conditionCount]!
    );
  }

  electiveRate(state: PersonState, age: number): number {
    return (
      this.electiveAdmission[state.sex * AGES + age]! *
      this.electivePerCondition[state.conditionCount]!
    );
  }

  /** Uptake of `campaign` for `state` at its start, or 0 when not eligible. */
  campaignUptake(campaign: CompiledCampaign, state: PersonState): number {
    const age = (campaign.start - state.birth) / DAYS_PER_YEAR;
    for (const group of campaign.groups) {
      if (age < group.minAge) continue;
      if (group.atRisk && state.factors[FACTOR.atRisk] !== 1) continue;
      return group.uptake;
    }
    return 0;
  }

  /** The smoking initiation multiplier of a birth cohort (LIFESTYLE.smokingCohort, linear). */
  smokingCohort(birth: number): number {
    const year = 1970 + birth / DAYS_PER_YEAR;
    const anchors = LIFESTYLE.smokingCohort;
    if (year <= anchors[0]![0]) return anchors[0]![1];
    for (let i = 1; i < anchors.length; i++) {
      const [year1, factor1] = anchors[i]!;
      if (year < year1) {
        const [year0, factor0] = anchors[i - 1]!;
        return factor0 + ((year - year0) / (year1 - year0)) * (factor1 - factor0);
      }
    }
    return anchors[anchors.length - 1]![1];
  }

  newState(sex: number, birth: number): PersonState {
    return new PersonState(
      sex,
      birth,
      this.smokingCohort(birth),
      this.factorCount,
      this.conditions.length,
    );
  }
}

function compileTransition(
  name: string,
  base: Float64Array,
  risks: Readonly<Record<string, number>>,
  factorIndex: (name: string) => number,
): Transition {
  const entries = Object.entries(risks);
  return {
    name,
    base,
    riskFactors: Int32Array.from(entries, ([factor]) => factorIndex(factor)),
    riskRatios: Float64Array.from(entries, ([, ratio]) => ratio),
  };
}

/** Everything about one person that the hazards depend on. */
export class PersonState {
  smoking: number = SMOKING.never;
  bmi: number = BMI.normal;
  conditionCount = 0;
  /** Day of death, or Infinity while alive. */
  death = Infinity;
  /** Incremented by every transition, so cached hazards can tell the state changed. */
  version = 0;
  /** 0/1 per risk factor slot (FACTOR, then one per condition). */
  readonly factors: Uint8Array;
  /** Day of the first episode of each condition, or NaN if none. */
  readonly onset: Float64Array;

  constructor(
    readonly sex: number,
    readonly birth: number,
    readonly smokingCohort: number,
    factorCount: number,
    conditionCount: number,
  ) {
    this.factors = new Uint8Array(factorCount);
    this.onset = new Float64Array(conditionCount).fill(NaN);
  }

  copy(): PersonState {
    const copy = new PersonState(
      this.sex,
      this.birth,
      this.smokingCohort,
      this.factors.length,
      this.onset.length,
    );
    copy.smoking = this.smoking;
    copy.bmi = this.bmi;
    copy.conditionCount = this.conditionCount;
    copy.death = this.death;
    copy.factors.set(this.factors);
    copy.onset.set(this.onset);
    return copy;
  }
}

export { monthStart };
