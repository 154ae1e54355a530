/**
 * OMOP vocabulary_id -> MEDS code prefix. Classifications keep the short names
 * the field uses (ICD10CM and WHO ICD10 both become ICD10); others keep their
 * OMOP id, with spaces replaced.
 */
const PREFIXES: Record<string, string> = {
  ICD10: 'ICD10',
  ICD10CM: 'ICD10',
  ICD10GM: 'ICD10',
  ICD10CN: 'ICD10',
  ICD9CM: 'ICD9',
  ICD9Proc: 'ICD9PROC',
  ICD10PCS: 'ICD10PCS',
  SNOMED: 'SNOMED',
  RxNorm: 'RxNorm',
  'RxNorm Extension': 'RxNorm',
  LOINC: 'LOINC',
  ATC: 'ATC',
  CPT4: 'CPT4',
  HCPCS: 'HCPCS',
  CVX: 'CVX',
  OPCS4: 'OPCS4',
  Read: 'READ',
  NDC: 'NDC',
};

export function codePrefix(vocabularyId: string): string {
  return PREFIXES[vocabularyId] ?? vocabularyId.replace(/\s+/g, '_');
}

/**
 * OMOP visit concepts -> Horizon admission codes. Inpatient stays (including
 * those entered through the emergency room) count as admissions.
 */
const VISIT_KINDS: Record<string, 'INPATIENT' | 'EMERGENCY' | 'OUTPATIENT'> = {
  '9201': 'INPATIENT', // Inpatient Visit
  '262': 'INPATIENT', // Emergency Room and Inpatient Visit
  '8717': 'INPATIENT', // Inpatient Hospital
  '9203': 'EMERGENCY', // Emergency Room Visit
  '8870': 'EMERGENCY', // Emergency Room - Hospital
  '9202': 'OUTPATIENT', // Outpatient Visit
  '581477': 'OUTPATIENT', // Office Visit
  '5083': 'OUTPATIENT', // Telehealth
  '581458': 'OUTPATIENT', // Pharmacy visit
  '38004193': 'OUTPATIENT', // Case Management Visit
  '32036': 'OUTPATIENT', // Laboratory Visit
};

export function admissionCode(visitConceptId: string): string {
  return `ADMISSION//${VISIT_KINDS[visitConceptId] ?? 'OTHER'}`;
}

/** OMOP gender concepts (8507 MALE, 8532 FEMALE) -> MEDS sex letters. */
export function sexOf(genderConceptId: string, sourceValue: string): 'M' | 'F' | null {
  if (genderConceptId === '8507') return 'M';
  if (genderConceptId === '8532') return 'F';
  const letter = sourceValue.trim().toUpperCase()[0];
  return letter === 'M' || letter === 'F' ? letter : null;
}
