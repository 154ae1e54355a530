/**
 * How cache codes map onto model tokens, and what kind of event each token is.
 * Training export and inference both call these functions, so the two cannot
 * read the same code differently.
 */

/** What a token stands for; the kind decides loss masking and sampling rules. */
export type TokenKind =
  | 'padding'
  | 'no_event'
  | 'sex'
  | 'lifestyle'
  | 'condition'
  | 'admission'
  | 'vaccine'
  | 'death'
  | 'event';

/** Pseudo-codes of the two tokens that are not MEDS events. */
export const PADDING_CODE = '<pad>';
export const NO_EVENT_CODE = '<no-event>';

/** Codes that never become tokens: birth is the origin of the age axis instead. */
const SKIPPED_CODES = new Set(['MEDS_BIRTH']);

const LIFESTYLE_PREFIXES = ['LIFESTYLE//', 'SMOKING//', 'BMI//', 'ALCOHOL//'];

/** ICD-10 diagnoses as other MEDS extractions spell them (MIMIC-IV: `DIAGNOSIS//ICD//10//I2510`). */
const ICD10_PREFIXES = ['ICD10//', 'ICD10CM//', 'DIAGNOSIS//ICD//10//'];

/**
 * MIMIC-IV hospital admission types, by the word that starts them, as the two
 * admission tokens: unplanned stays count as emergency admissions, planned
 * ones as elective inpatient admissions. Observation stays are not admissions.
 */
const ADMISSION_TYPES: [string, string][] = [
  ['EW EMER.', 'ADMISSION//EMERGENCY'],
  ['DIRECT EMER.', 'ADMISSION//EMERGENCY'],
  ['URGENT', 'ADMISSION//EMERGENCY'],
  ['ELECTIVE', 'ADMISSION//INPATIENT'],
  ['SURGICAL SAME DAY ADMISSION', 'ADMISSION//INPATIENT'],
];

/**
 * Map a cache code to the code of its model token, or null when no token can
 * stand for it. ICD-10 codes are cut to their 3-character category
 * (`ICD10//E11.9`, `ICD10//E119` and MIMIC-IV's `DIAGNOSIS//ICD//10//E119`
 * all become `ICD10//E11`), the granularity the synthetic population and the
 * shipped models use. MIMIC-IV's `HOSPITAL_ADMISSION//<type>//<source>`
 * becomes an admission token by its type.
 * NOTE: ICD-9 diagnoses keep their own codes, so the shipped models read none
 * of them. A general ICD-9 to ICD-10 map (the CMS GEMs) is not bundled.
 */
export function modelCode(code: string): string | null {
  if (SKIPPED_CODES.has(code)) return null;
  const prefix = ICD10_PREFIXES.find((candidate) => code.startsWith(candidate));
  if (prefix) {
    const category = code.slice(prefix.length).replace('.', '').slice(0, 3).toUpperCase();
    return category.length === 3 ? `ICD10//${category}` : null;
  }
  if (code.startsWith('HOSPITAL_ADMISSION//')) {
    const type = code.slice('HOSPITAL_ADMISSION//'.length).split('//')[0]!;
    return ADMISSION_TYPES.find(([name]) => type === name)?.[1] ?? null;
  }
  return code;
}

/** The kind of a model token code. */
export function tokenKind(code: string): TokenKind {
  if (code === PADDING_CODE) return 'padding';
  if (code === NO_EVENT_CODE) return 'no_event';
  if (code === 'MEDS_DEATH') return 'death';
  if (code.startsWith('GENDER//') || code.startsWith('SEX//')) return 'sex';
  if (LIFESTYLE_PREFIXES.some((prefix) => code.startsWith(prefix))) return 'lifestyle';
  if (code.startsWith('ICD10//')) return 'condition';
  if (code.startsWith('ADMISSION//')) return 'admission';
  if (code.startsWith('VACCINE//')) return 'vaccine';
  return 'event';
}

/**
 * Kinds the model reads but never predicts: they are excluded from the
 * training loss and never sampled.
 */
export function isInputOnly(kind: TokenKind): boolean {
  return kind === 'padding' || kind === 'sex' || kind === 'lifestyle';
}
