/**
 * The MEDS codes of the synthetic population. The first `OUTCOME_COUNT` codes
 * are the outcomes that ground truth is computed for; the rest are static or
 * birth rows.
 */
import type { CodeMetadata } from '../meds/writer';
import { CONDITIONS } from './hazards';

const C = CONDITIONS.length;

/** Code indexes after the conditions, which come first in CONDITIONS order. */
export const CODE = {
  death: C,
  gpConsultation: C + 1,
  emergencyAdmission: C + 2,
  electiveAdmission: C + 3,
  /** SMOKING//NEVER, CURRENT, FORMER follow in the order of the SMOKING states. */
  smoking: C + 4,
  /** BMI//NORMAL, OVERWEIGHT, OBESE follow in the order of the BMI states. */
  bmi: C + 7,
  influenzaVaccine: C + 10,
  covidVaccine: C + 11,
  birth: C + 12,
  female: C + 13,
  male: C + 14,
} as const;

export const OUTCOME_COUNT = CODE.birth;

export const CODES: readonly CodeMetadata[] = [
  ...CONDITIONS.map((condition) => ({
    code: `ICD10//${condition.icd10}`,
    description: condition.description,
    parentCodes: [],
  })),
  { code: 'MEDS_DEATH', description: 'Death', parentCodes: [] },
  { code: 'GP//CONSULTATION', description: 'GP consultation', parentCodes: [] },
  { code: 'ADMISSION//EMERGENCY', description: 'Emergency hospital admission', parentCodes: [] },
  {
    code: 'ADMISSION//INPATIENT',
    description: 'Elective (planned) inpatient admission',
    parentCodes: [],
  },
  { code: 'SMOKING//NEVER', description: 'Never smoked (recorded status)', parentCodes: [] },
  { code: 'SMOKING//CURRENT', description: 'Current smoker (recorded status)', parentCodes: [] },
  { code: 'SMOKING//FORMER', description: 'Former smoker (recorded status)', parentCodes: [] },
  { code: 'BMI//NORMAL', description: 'Body mass index below 25 kg/m2', parentCodes: [] },
  { code: 'BMI//OVERWEIGHT', description: 'Body mass index 25 to 29.9 kg/m2', parentCodes: [] },
  { code: 'BMI//OBESE', description: 'Body mass index 30 kg/m2 or more', parentCodes: [] },
  { code: 'VACCINE//INFLUENZA', description: 'Influenza vaccination', parentCodes: [] },
  { code: 'VACCINE//COVID19', description: 'COVID-19 vaccination', parentCodes: [] },
  { code: 'MEDS_BIRTH', description: 'Birth (month of birth)', parentCodes: [] },
  { code: 'GENDER//F', description: 'Female', parentCodes: [] },
  { code: 'GENDER//M', description: 'Male', parentCodes: [] },
];

export const CODE_NAMES: readonly string[] = CODES.map((code) => code.code);
