/**
 * Every rate of the synthetic population, in one table.
 *
 * Units: events per 1,000 person-years. An age curve lists [age, rate] anchors
 * for women. The rate is interpolated log-linearly between anchors, is zero
 * below the first anchor and stays at the last anchor's rate above it. Men get
 * the women's curve times `maleRatio`, unless a condition has its own `male`
 * curve. A multiplier applies while its risk factor is present, and multipliers
 * combine by product (a proportional-hazards model).
 *
 * The numbers are rough approximations chosen so that UK-like prevalence and
 * incidence come out in the right range. They are not estimates from any one
 * study. The comments give the rough basis and name where such figures are
 * commonly published, but no number was transcribed from those sources. Run
 * `horizon synth --describe` to print the prevalence and incidence they produce.
 */

/** Women's rate per 1,000 person-years at each anchor age, in ascending age. */
export type AgeCurve = readonly (readonly [age: number, rate: number])[];

/** A risk factor: a condition code ever diagnosed, or a lifestyle state. */
export type RiskFactor =
  | 'smoker'
  | 'exSmoker'
  | 'overweight'
  | 'obese'
  /** Any cancer (ICD-10 chapter C) ever diagnosed. */
  | 'cancer'
  /** At least one condition that makes a person eligible for flu vaccination under 65. */
  | 'atRisk'
  | string;

export interface ConditionHazard {
  /** ICD-10 3-character category. The MEDS code is `ICD10//<icd10>`. */
  icd10: string;
  description: string;
  chapter: Chapter;
  /** chronic: diagnosed once and present from then on. acute: can recur, and each episode is recorded. */
  kind: 'chronic' | 'acute';
  female: AgeCurve;
  maleRatio?: number;
  male?: AgeCurve;
  /** Hazard ratios while a risk factor is present. A condition's own code here is its recurrence ratio. */
  risks?: Readonly<Record<RiskFactor, number>>;
  /** Probability that an episode causes an emergency admission at the same time. */
  emergencyAdmission?: number;
  /** Probability that a diagnosis leads to an elective inpatient admission at the same time. */
  electiveAdmission?: number;
  /** Diagnosed in hospital rather than at a GP consultation (no GP consultation is recorded with it). */
  hospital?: boolean;
  /** The hazard follows the COVID-19 waves of `COVID_WAVES` and is zero outside them. */
  covid?: boolean;
  /** Makes a person eligible for flu vaccination under 65 (the UK clinical risk groups). */
  atRisk?: boolean;
  /** Short-lived: episodes before the window are left out of the history summary at its start. */
  transient?: boolean;
}

export type Chapter =
  | 'cardiovascular'
  | 'metabolic'
  | 'renal'
  | 'respiratory'
  | 'cancer'
  | 'mental health'
  | 'dementia'
  | 'neurological'
  | 'musculoskeletal'
  | 'digestive'
  | 'infection'
  | 'other';

const SMOKING_CVD = { smoker: 2.0, exSmoker: 1.3 };

// prettier-ignore
export const CONDITIONS: readonly ConditionHazard[] = [
  // Cardiovascular. Basis: UK primary-care incidence studies put recorded hypertension
  // at roughly 10-30 per 1,000 person-years from middle age. Smoking roughly doubles
  // coronary risk (INTERHEART), and AF raises stroke risk about five-fold (Framingham,
  // Wolf et al. 1991). Coronary rates in men are about twice those in women.
  {
    icd10: 'I10',
    description: 'Essential (primary) hypertension',
    chapter: 'cardiovascular',
    kind: 'chronic',
    female: [[20, 0.5], [40, 4], [60, 15], [75, 25], [90, 25]],
    maleRatio: 1.2,
    risks: { overweight: 1.6, obese: 2.5, E11: 1.5, N18: 1.5 },
  },
  {
    icd10: 'E78',
    description: 'Disorders of lipoprotein metabolism (hyperlipidaemia)',
    chapter: 'metabolic',
    kind: 'chronic',
    female: [[25, 0.5], [45, 5], [60, 12], [75, 10]],
    maleRatio: 1.2,
    risks: { obese: 1.3, E11: 1.5, I10: 1.3 },
  },
  {
    icd10: 'I20',
    description: 'Angina pectoris',
    chapter: 'cardiovascular',
    kind: 'chronic',
    female: [[35, 0.1], [55, 1], [70, 3], [85, 5]],
    maleRatio: 1.6,
    risks: { ...SMOKING_CVD, E11: 2, I10: 1.6, E78: 1.4, obese: 1.4 },
    atRisk: true,
  },
  {
    icd10: 'I21',
    description: 'Acute myocardial infarction',
    chapter: 'cardiovascular',
    kind: 'acute',
    female: [[35, 0.05], [55, 0.6], [70, 2], [85, 4.5]],
    maleRatio: 2.2,
    risks: { smoker: 2.5, exSmoker: 1.3, E11: 2, I10: 1.5, E78: 1.3, obese: 1.4, N18: 1.5, I20: 1.8, I21: 2 },
    emergencyAdmission: 0.95,
    hospital: true,
    atRisk: true,
  },
  {
    icd10: 'I25',
    description: 'Chronic ischaemic heart disease',
    chapter: 'cardiovascular',
    kind: 'chronic',
    female: [[40, 0.05], [60, 0.6], [75, 2], [85, 3]],
    maleRatio: 1.8,
    // Mostly recorded after a myocardial infarction or angina.
    risks: { ...SMOKING_CVD, E11: 1.5, I21: 15, I20: 8 },
    atRisk: true,
  },
  {
    icd10: 'I48',
    description: 'Atrial fibrillation and flutter',
    chapter: 'cardiovascular',
    kind: 'chronic',
    female: [[40, 0.1], [60, 1.5], [75, 6], [90, 18]],
    maleRatio: 1.4,
    risks: { I10: 1.5, obese: 1.5, I50: 2.5, I21: 1.5 },
  },
  {
    icd10: 'I50',
    description: 'Heart failure',
    chapter: 'cardiovascular',
    kind: 'chronic',
    female: [[40, 0.1], [60, 0.8], [75, 4], [90, 15]],
    maleRatio: 1.4,
    risks: { I21: 3, I48: 2.5, I10: 1.5, E11: 2, N18: 1.5, obese: 1.7, I25: 2 },
    emergencyAdmission: 0.3,
    atRisk: true,
  },
  {
    icd10: 'I63',
    description: 'Cerebral infarction (ischaemic stroke)',
    chapter: 'cardiovascular',
    kind: 'acute',
    female: [[35, 0.05], [55, 0.6], [70, 2.5], [85, 9]],
    maleRatio: 1.3,
    risks: { I48: 4, I10: 2, ...SMOKING_CVD, E11: 1.8, I63: 2.5 },
    emergencyAdmission: 0.9,
    hospital: true,
    atRisk: true,
  },
  {
    icd10: 'I73',
    description: 'Other peripheral vascular diseases',
    chapter: 'cardiovascular',
    kind: 'chronic',
    female: [[45, 0.1], [65, 0.8], [80, 2]],
    maleRatio: 1.8,
    risks: { smoker: 3, exSmoker: 1.7, E11: 2.5 },
  },
  {
    icd10: 'I26',
    description: 'Pulmonary embolism',
    chapter: 'cardiovascular',
    kind: 'acute',
    female: [[15, 0.1], [50, 0.4], [75, 1.5], [90, 2.5]],
    maleRatio: 1,
    // Cancer raises venous thromboembolism risk several-fold.
    risks: { cancer: 4, obese: 2, I26: 3 },
    emergencyAdmission: 0.85,
    hospital: true,
  },

  // Metabolic and endocrine. Basis: obesity raises type 2 diabetes risk several-fold
  // (meta-analyses report relative risks around 7 for BMI >= 30); UK diabetes incidence
  // is a few per 1,000 person-years. Hypothyroidism is about five times as common in women.
  {
    icd10: 'E11',
    description: 'Type 2 diabetes mellitus',
    chapter: 'metabolic',
    kind: 'chronic',
    female: [[25, 0.1], [45, 0.8], [65, 2], [85, 2]],
    maleRatio: 1.3,
    risks: { overweight: 2.5, obese: 7, smoker: 1.3, I10: 1.3 },
    atRisk: true,
  },
  {
    icd10: 'E10',
    description: 'Type 1 diabetes mellitus',
    chapter: 'metabolic',
    kind: 'chronic',
    female: [[0, 0.1], [10, 0.25], [20, 0.12], [40, 0.04]],
    maleRatio: 1.1,
    atRisk: true,
  },
  {
    icd10: 'E03',
    description: 'Other hypothyroidism',
    chapter: 'metabolic',
    kind: 'chronic',
    female: [[15, 0.5], [40, 3], [65, 5], [85, 6]],
    maleRatio: 0.2,
  },

  // Renal. Basis: diabetes and hypertension are the leading causes of CKD; recorded
  // CKD stage 3-5 incidence rises steeply after 60. UTIs are far more common in women.
  {
    icd10: 'N18',
    description: 'Chronic kidney disease',
    chapter: 'renal',
    kind: 'chronic',
    female: [[30, 0.1], [55, 1], [70, 5], [85, 15]],
    maleRatio: 0.8,
    risks: { E11: 2.5, I10: 2, I50: 2, obese: 1.4 },
    atRisk: true,
  },
  {
    icd10: 'N20',
    description: 'Calculus of kidney and ureter',
    chapter: 'renal',
    kind: 'acute',
    female: [[20, 0.4], [45, 0.6], [75, 0.4]],
    maleRatio: 2,
    risks: { obese: 1.4, N20: 3 },
    emergencyAdmission: 0.3,
    transient: true,
  },
  {
    icd10: 'N39',
    description: 'Other disorders of urinary system (urinary tract infection)',
    chapter: 'infection',
    kind: 'acute',
    female: [[5, 10], [20, 40], [60, 45], [85, 90]],
    maleRatio: 0.2,
    risks: { E11: 1.5, F03: 2, N39: 1.5 },
    emergencyAdmission: 0.02,
    transient: true,
  },

  // Respiratory. Basis: smoking causes most COPD (current smokers several times the
  // risk of never smokers); asthma incidence is highest in childhood.
  {
    icd10: 'J45',
    description: 'Asthma',
    chapter: 'respiratory',
    kind: 'chronic',
    female: [[0, 3], [10, 2], [30, 1.5], [70, 1]],
    maleRatio: 0.9,
    risks: { smoker: 1.3, obese: 1.5 },
    atRisk: true,
  },
  {
    icd10: 'J44',
    description: 'Other chronic obstructive pulmonary disease',
    chapter: 'respiratory',
    kind: 'chronic',
    female: [[35, 0.05], [55, 0.5], [70, 1.2], [85, 1.5]],
    maleRatio: 1.2,
    risks: { smoker: 6, exSmoker: 3 },
    atRisk: true,
  },
  {
    icd10: 'J18',
    description: 'Pneumonia, organism unspecified',
    chapter: 'infection',
    kind: 'acute',
    female: [[0, 3], [10, 0.8], [50, 1.5], [75, 6], [90, 20]],
    maleRatio: 1.2,
    risks: { J44: 3, I50: 2, F03: 2, E11: 1.5, smoker: 1.5, J18: 1.5 },
    emergencyAdmission: 0.6,
    transient: true,
  },
  {
    icd10: 'A41',
    description: 'Other sepsis',
    chapter: 'infection',
    kind: 'acute',
    female: [[0, 0.3], [10, 0.1], [50, 0.3], [75, 1.5], [90, 4]],
    maleRatio: 1.2,
    risks: { cancer: 2, N18: 2, E11: 1.5, F03: 1.5 },
    emergencyAdmission: 1,
    hospital: true,
    transient: true,
  },
  // COVID-19: recorded (tested) infections only, whose rate follows the waves and
  // testing policy of 2020-2022; see COVID_WAVES for the calendar factor.
  {
    icd10: 'U07',
    description: 'COVID-19',
    chapter: 'infection',
    kind: 'acute',
    female: [[0, 15], [18, 30], [60, 30], [80, 35]],
    maleRatio: 1,
    covid: true,
    emergencyAdmission: 0.04,
    transient: true,
  },

  // Cancers. Basis: Cancer Research UK incidence by age is of the order of 1-4 per
  // 1,000 person-years at older ages for the common sites. Smoking raises lung cancer
  // risk 10-20 fold (Doll and Peto), and obesity modestly raises colorectal and breast risk.
  {
    icd10: 'C50',
    description: 'Malignant neoplasm of breast',
    chapter: 'cancer',
    kind: 'chronic',
    female: [[25, 0.1], [45, 1.5], [65, 3], [85, 3.5]],
    maleRatio: 0.01,
    risks: { obese: 1.2 },
    electiveAdmission: 0.7,
  },
  {
    icd10: 'C61',
    description: 'Malignant neoplasm of prostate',
    chapter: 'cancer',
    kind: 'chronic',
    female: [],
    male: [[45, 0.2], [60, 3], [70, 7], [85, 7]],
    electiveAdmission: 0.4,
  },
  {
    icd10: 'C34',
    description: 'Malignant neoplasm of bronchus and lung (rate for never smokers)',
    chapter: 'cancer',
    kind: 'chronic',
    female: [[40, 0.02], [60, 0.12], [75, 0.35], [85, 0.45]],
    maleRatio: 1.2,
    risks: { smoker: 15, exSmoker: 5, J44: 1.5 },
    electiveAdmission: 0.5,
  },
  {
    icd10: 'C18',
    description: 'Malignant neoplasm of colon',
    chapter: 'cancer',
    kind: 'chronic',
    female: [[35, 0.05], [55, 0.5], [70, 1.3], [85, 2.5]],
    maleRatio: 1.4,
    risks: { obese: 1.3, smoker: 1.2 },
    electiveAdmission: 0.8,
  },
  {
    icd10: 'C43',
    description: 'Malignant melanoma of skin',
    chapter: 'cancer',
    kind: 'chronic',
    female: [[20, 0.05], [50, 0.25], [75, 0.45]],
    maleRatio: 1.1,
    electiveAdmission: 0.2,
  },
  {
    icd10: 'C67',
    description: 'Malignant neoplasm of bladder',
    chapter: 'cancer',
    kind: 'chronic',
    female: [[45, 0.02], [65, 0.15], [85, 0.5]],
    maleRatio: 3,
    risks: { smoker: 3, exSmoker: 2 },
    electiveAdmission: 0.7,
  },
  {
    icd10: 'C25',
    description: 'Malignant neoplasm of pancreas',
    chapter: 'cancer',
    kind: 'chronic',
    female: [[45, 0.03], [65, 0.2], [85, 0.6]],
    maleRatio: 1.1,
    risks: { smoker: 2, E11: 1.8, obese: 1.2 },
    electiveAdmission: 0.5,
  },
  {
    icd10: 'C85',
    description: 'Other and unspecified types of non-Hodgkin lymphoma',
    chapter: 'cancer',
    kind: 'chronic',
    female: [[20, 0.02], [50, 0.1], [75, 0.4]],
    maleRatio: 1.3,
    electiveAdmission: 0.6,
  },

  // Mental health. Basis: recorded depression and anxiety are about twice as common in
  // women; schizophrenia onset peaks in early adulthood and is more common in men.
  {
    icd10: 'F32',
    description: 'Depressive episode',
    chapter: 'mental health',
    kind: 'chronic',
    female: [[12, 3], [20, 9], [45, 7], [80, 5]],
    maleRatio: 0.55,
    risks: { I63: 1.5, cancer: 1.3, F10: 2, smoker: 1.3 },
  },
  {
    icd10: 'F41',
    description: 'Other anxiety disorders',
    chapter: 'mental health',
    kind: 'chronic',
    female: [[12, 3], [20, 7], [45, 5], [80, 2.5]],
    maleRatio: 0.6,
    risks: { F32: 2 },
  },
  {
    icd10: 'F20',
    description: 'Schizophrenia',
    chapter: 'mental health',
    kind: 'chronic',
    female: [[15, 0.05], [22, 0.2], [35, 0.15], [60, 0.03]],
    maleRatio: 1.6,
  },
  {
    icd10: 'F31',
    description: 'Bipolar affective disorder',
    chapter: 'mental health',
    kind: 'chronic',
    female: [[15, 0.05], [25, 0.2], [50, 0.08]],
    maleRatio: 0.9,
  },
  {
    icd10: 'F10',
    description: 'Mental and behavioural disorders due to use of alcohol',
    chapter: 'mental health',
    kind: 'chronic',
    female: [[16, 0.2], [30, 0.6], [50, 0.6], [75, 0.2]],
    maleRatio: 2.5,
    risks: { F32: 2, smoker: 2 },
  },

  // Dementia and neurological. Basis: dementia incidence roughly doubles every five
  // years after 65, reaching several per 100 person-years in the late 80s. Stroke,
  // diabetes and smoking are established risk factors.
  {
    icd10: 'F03',
    description: 'Unspecified dementia',
    chapter: 'dementia',
    kind: 'chronic',
    female: [[60, 0.3], [70, 2], [80, 10], [90, 35], [100, 60]],
    maleRatio: 0.9,
    risks: { I63: 2, E11: 1.5, smoker: 1.3, I10: 1.2, G20: 2 },
  },
  {
    icd10: 'G20',
    description: "Parkinson's disease",
    chapter: 'neurological',
    kind: 'chronic',
    female: [[50, 0.05], [65, 0.4], [80, 1.2], [90, 1.5]],
    maleRatio: 1.5,
  },
  {
    icd10: 'G40',
    description: 'Epilepsy',
    chapter: 'neurological',
    kind: 'chronic',
    female: [[0, 0.6], [15, 0.3], [50, 0.3], [80, 0.8]],
    maleRatio: 1.2,
    risks: { I63: 5, F03: 3, F10: 2 },
  },
  {
    icd10: 'G43',
    description: 'Migraine',
    chapter: 'neurological',
    kind: 'chronic',
    female: [[8, 2], [20, 5], [40, 3], [65, 0.5]],
    maleRatio: 0.4,
  },

  // Musculoskeletal. Basis: obesity roughly triples knee osteoarthritis risk;
  // osteoporosis and hip fracture are far more common in older women.
  {
    icd10: 'M17',
    description: 'Gonarthrosis (osteoarthritis of knee)',
    chapter: 'musculoskeletal',
    kind: 'chronic',
    female: [[40, 0.5], [60, 4], [75, 7], [90, 7]],
    maleRatio: 0.7,
    risks: { overweight: 1.8, obese: 3 },
    electiveAdmission: 0.15,
  },
  {
    icd10: 'M16',
    description: 'Coxarthrosis (osteoarthritis of hip)',
    chapter: 'musculoskeletal',
    kind: 'chronic',
    female: [[45, 0.3], [65, 2], [80, 4]],
    maleRatio: 0.8,
    risks: { obese: 1.5 },
    electiveAdmission: 0.2,
  },
  {
    icd10: 'M81',
    description: 'Osteoporosis without current pathological fracture',
    chapter: 'musculoskeletal',
    kind: 'chronic',
    female: [[45, 0.3], [60, 3], [75, 8], [90, 12]],
    maleRatio: 0.2,
    risks: { smoker: 1.3 },
  },
  {
    icd10: 'M06',
    description: 'Other rheumatoid arthritis',
    chapter: 'musculoskeletal',
    kind: 'chronic',
    female: [[20, 0.1], [50, 0.5], [75, 0.6]],
    maleRatio: 0.45,
    risks: { smoker: 1.6 },
  },
  {
    icd10: 'M54',
    description: 'Dorsalgia (back pain)',
    chapter: 'musculoskeletal',
    kind: 'acute',
    female: [[12, 5], [30, 20], [50, 25], [80, 20]],
    maleRatio: 0.85,
    risks: { obese: 1.3, M54: 2 },
    transient: true,
  },
  {
    icd10: 'S72',
    description: 'Fracture of femur',
    chapter: 'musculoskeletal',
    kind: 'acute',
    female: [[50, 0.2], [70, 1.5], [85, 8], [95, 20]],
    maleRatio: 0.5,
    risks: { M81: 2.5, F03: 2, G20: 2 },
    emergencyAdmission: 1,
    hospital: true,
  },

  // Digestive, skin, eye and blood.
  {
    icd10: 'K21',
    description: 'Gastro-oesophageal reflux disease',
    chapter: 'digestive',
    kind: 'chronic',
    female: [[18, 2], [40, 5], [70, 6]],
    maleRatio: 0.9,
    risks: { obese: 1.6, smoker: 1.3 },
  },
  {
    icd10: 'K57',
    description: 'Diverticular disease of intestine',
    chapter: 'digestive',
    kind: 'chronic',
    female: [[35, 0.2], [60, 1.5], [80, 3]],
    maleRatio: 0.8,
    risks: { obese: 1.3 },
    emergencyAdmission: 0.15,
  },
  {
    icd10: 'K80',
    description: 'Cholelithiasis (gallstones)',
    chapter: 'digestive',
    kind: 'chronic',
    female: [[20, 0.8], [45, 2], [70, 2.5]],
    maleRatio: 0.5,
    risks: { obese: 2 },
    emergencyAdmission: 0.3,
    electiveAdmission: 0.3,
  },
  {
    icd10: 'K70',
    description: 'Alcoholic liver disease',
    chapter: 'digestive',
    kind: 'chronic',
    female: [[30, 0.005], [50, 0.02], [70, 0.02]],
    maleRatio: 2,
    // Almost only in people with alcohol dependence.
    risks: { F10: 40 },
    emergencyAdmission: 0.3,
    atRisk: true,
  },
  {
    icd10: 'L40',
    description: 'Psoriasis',
    chapter: 'other',
    kind: 'chronic',
    female: [[10, 0.5], [25, 1.5], [60, 1.5], [80, 1]],
    maleRatio: 1,
    risks: { smoker: 1.5, obese: 1.5 },
  },
  {
    icd10: 'H25',
    description: 'Senile cataract',
    chapter: 'other',
    kind: 'chronic',
    female: [[45, 0.5], [65, 6], [80, 20], [90, 25]],
    maleRatio: 0.85,
    risks: { E11: 1.5, smoker: 1.3 },
  },
  {
    icd10: 'H40',
    description: 'Glaucoma',
    chapter: 'other',
    kind: 'chronic',
    female: [[40, 0.2], [65, 1], [85, 2.5]],
    maleRatio: 1.1,
  },
  {
    icd10: 'D50',
    description: 'Iron deficiency anaemia',
    chapter: 'other',
    kind: 'chronic',
    female: [[12, 2], [40, 3], [60, 2], [85, 5]],
    maleRatio: 0.4,
    risks: { C18: 3, N18: 1.5 },
  },
];

/**
 * Death. The baseline is for people with none of the listed conditions, so it is
 * lower than the all-cause rate of the whole population, at roughly half of UK
 * life-table mortality (ONS National Life Tables). The multipliers bring it back
 * up for people with disease. Multipliers approximate mortality ratios: lung and
 * pancreatic cancer are mostly fatal within a few years, dementia and heart failure
 * roughly treble mortality, smoking roughly doubles it (Doll et al. 2004).
 */
// prettier-ignore
export const DEATH = {
  female: [[0, 2.5], [1, 0.1], [15, 0.1], [40, 0.5], [60, 2.5], [70, 6], [80, 16], [90, 60], [100, 250]],
  maleRatio: 1.4,
  risks: {
    smoker: 2, exSmoker: 1.3, obese: 1.3,
    C34: 10, C25: 15, C18: 2.5, C50: 1.8, C61: 1.5, C43: 1.4, C67: 2, C85: 2.5,
    I50: 3, I21: 1.8, I63: 2, I48: 1.3, I25: 1.3, F03: 3, G20: 1.8, J44: 2.2,
    N18: 1.6, E11: 1.5, E10: 2, F10: 2.5, F20: 2.5, K70: 6, S72: 1.8, A41: 1.5,
  } as Readonly<Record<RiskFactor, number>>,
} as const;

/**
 * Smoking and body mass, the lifestyle states. Initiation happens mostly between
 * 15 and 25. The birth cohort factor makes about 45% of people born around 1940
 * ever smokers by 45 and about 18% of people born in 2000, because UK smoking
 * prevalence fell from about 45% of adults in 1974 to about 14% in 2019 (ONS).
 * About 3-5% of current smokers quit each year. About a quarter of adults in
 * England were obese and over 60% overweight or obese around 2010 (Health
 * Survey for England), and the body mass transitions give roughly that at 45.
 */
// prettier-ignore
export const LIFESTYLE = {
  startSmoking: { female: [[13, 5], [16, 40], [22, 25], [30, 4], [45, 0.5]], maleRatio: 1.15 },
  /** Multiplier of smoking initiation by year of birth, interpolated linearly. */
  smokingCohort: [[1920, 1.7], [1950, 1.4], [1970, 1.0], [1990, 0.6], [2010, 0.35]],
  quitSmoking: { female: [[16, 20], [30, 30], [50, 40], [70, 60]], maleRatio: 0.9 },
  /** Age from which body mass is tracked and recorded in adult bands. */
  adultAge: 18,
  becomeOverweight: { female: [[18, 30], [35, 40], [55, 25], [75, 5]], maleRatio: 1.3 },
  becomeObese: { female: [[18, 22], [40, 35], [60, 25], [75, 8]], maleRatio: 1 },
  loseWeight: { female: [[18, 8], [80, 8]], maleRatio: 1 },
} as const;

/**
 * Record-only events: they depend on a person's state but do not change it.
 * Basis: NHS Digital reports roughly 4-6 GP consultations per person-year, more in
 * women, young children and older people. There is about one emergency admission
 * per 10 people per year, concentrated in older people with multiple conditions.
 */
// prettier-ignore
export const RECORDS = {
  /** Routine GP consultations, beyond those at which a condition is diagnosed. */
  gpConsultation: {
    female: [[0, 5000], [5, 1800], [15, 2500], [30, 3500], [50, 3500], [70, 5000], [85, 7000]],
    maleRatio: 0.7,
    /** Multiplier for each chronic condition ever diagnosed. */
    perCondition: 1.15,
  },
  /** Emergency admissions not caused by one of the acute conditions in CONDITIONS. */
  emergencyAdmission: {
    female: [[0, 40], [5, 12], [20, 20], [50, 25], [70, 50], [85, 120]],
    maleRatio: 1,
    perCondition: 1.2,
  },
  /** Elective (planned) inpatient admissions not caused by a diagnosis in CONDITIONS. */
  electiveAdmission: {
    female: [[0, 10], [20, 25], [50, 50], [70, 90], [85, 70]],
    maleRatio: 1,
    perCondition: 1.1,
  },
  /** Probability that a routine consultation records smoking status, from age 16. */
  smokingRecorded: 0.08,
  smokingRecordAge: 16,
  /** Probability that a routine consultation records the BMI band, from age 18. */
  bmiRecorded: 0.06,
} as const;

/**
 * Recording probabilities of the history summary. GP records summarise the
 * history before the window: conditions diagnosed earlier (except `transient` ones) appear once at the window start, and the current smoking status and BMI
 * band appear there with these probabilities (the rest are missing).
 */
export const HISTORY = { smokingRecorded: 0.75, bmiRecorded: 0.6 } as const;

/**
 * Calendar factor of recorded COVID-19 infections by month, for the `covid`
 * conditions. Approximate shape of the UK waves: a first wave with little
 * testing (spring 2020), the alpha wave (winter 2020-21), delta (summer-autumn
 * 2021), omicron (winter 2021-22, the largest) and lower levels once free
 * testing ended in April 2022. Months not listed have factor 0 before 2020-03
 * and `COVID_ENDEMIC` after the last month listed.
 */
// prettier-ignore
export const COVID_WAVES: Readonly<Record<string, number>> = {
  '2020-03': 0.3, '2020-04': 0.8, '2020-05': 0.4, '2020-06': 0.1, '2020-07': 0.05, '2020-08': 0.1,
  '2020-09': 0.5, '2020-10': 1.5, '2020-11': 2, '2020-12': 3, '2021-01': 3.5, '2021-02': 1.2,
  '2021-03': 0.5, '2021-04': 0.3, '2021-05': 0.3, '2021-06': 1, '2021-07': 2.5, '2021-08': 2,
  '2021-09': 2.5, '2021-10': 3, '2021-11': 2.5, '2021-12': 6, '2022-01': 8, '2022-02': 4,
  '2022-03': 5, '2022-04': 2, '2022-05': 0.5, '2022-06': 0.7, '2022-07': 1, '2022-08': 0.3,
  '2022-09': 0.3, '2022-10': 0.6, '2022-11': 0.3, '2022-12': 0.4,
};
export const COVID_ENDEMIC = 0.1;

/**
 * Calendar factor of the death hazard: excess mortality in the COVID-19 waves
 * (England and Wales saw roughly 40-50% more deaths than expected in April 2020
 * and 20-30% more in January 2021, ONS). Other months have factor 1.
 */
// prettier-ignore
export const EXCESS_MORTALITY: Readonly<Record<string, number>> = {
  '2020-04': 1.5, '2020-05': 1.15, '2020-11': 1.1, '2020-12': 1.15, '2021-01': 1.3, '2021-02': 1.15,
};

/**
 * One vaccination campaign: everyone eligible at its start (a month start) is
 * vaccinated with probability `uptake` at a uniformly distributed time in
 * [start, end), if still alive then. The first matching group sets the uptake.
 */
export interface Campaign {
  code: 'VACCINE//INFLUENZA' | 'VACCINE//COVID19';
  start: string;
  end: string;
  groups: readonly { minAge: number; atRisk?: boolean; uptake: number }[];
}

/**
 * Flu vaccination every autumn for people 65 and over (uptake about 70%) and for
 * clinical risk groups under 65 (about 45-50%), as in UK Health Security Agency
 * seasonal uptake reports. Campaigns run from October to the end of December.
 */
export function influenzaCampaigns(fromYear: number, toYear: number): Campaign[] {
  const campaigns: Campaign[] = [];
  for (let year = fromYear; year <= toYear; year++) {
    campaigns.push({
      code: 'VACCINE//INFLUENZA',
      start: `${year}-10-01`,
      end: `${year + 1}-01-01`,
      groups: [
        { minAge: 65, uptake: 0.72 },
        { minAge: 6, atRisk: true, uptake: 0.48 },
      ],
    });
  }
  return campaigns;
}

/**
 * COVID-19 vaccination: two primary doses in 2021 by age priority, a booster in
 * winter 2021-22 and seasonal boosters for older people from 2022. Uptake is an
 * approximation of the UK dashboard figures (above 90% in the oldest groups,
 * lower in young adults and for each later booster).
 */
// prettier-ignore
export const COVID_CAMPAIGNS: readonly Campaign[] = [
  { code: 'VACCINE//COVID19', start: '2021-01-01', end: '2021-04-01', groups: [{ minAge: 50, uptake: 0.92 }, { minAge: 16, atRisk: true, uptake: 0.85 }] },
  { code: 'VACCINE//COVID19', start: '2021-04-01', end: '2021-08-01', groups: [{ minAge: 18, uptake: 0.72 }] },
  { code: 'VACCINE//COVID19', start: '2021-03-01', end: '2021-07-01', groups: [{ minAge: 50, uptake: 0.9 }, { minAge: 16, atRisk: true, uptake: 0.8 }] },
  { code: 'VACCINE//COVID19', start: '2021-06-01', end: '2021-10-01', groups: [{ minAge: 18, uptake: 0.65 }] },
  { code: 'VACCINE//COVID19', start: '2021-10-01', end: '2022-02-01', groups: [{ minAge: 65, uptake: 0.9 }, { minAge: 50, uptake: 0.75 }, { minAge: 18, uptake: 0.5 }] },
  { code: 'VACCINE//COVID19', start: '2022-04-01', end: '2022-07-01', groups: [{ minAge: 75, uptake: 0.75 }] },
  { code: 'VACCINE//COVID19', start: '2022-09-01', end: '2023-01-01', groups: [{ minAge: 50, uptake: 0.65 }, { minAge: 5, atRisk: true, uptake: 0.4 }] },
  { code: 'VACCINE//COVID19', start: '2023-04-01', end: '2023-07-01', groups: [{ minAge: 75, uptake: 0.65 }] },
  { code: 'VACCINE//COVID19', start: '2023-09-01', end: '2024-01-01', groups: [{ minAge: 65, uptake: 0.6 }, { minAge: 5, atRisk: true, uptake: 0.3 }] },
  { code: 'VACCINE//COVID19', start: '2024-04-01', end: '2024-07-01', groups: [{ minAge: 75, uptake: 0.55 }] },
  { code: 'VACCINE//COVID19', start: '2024-10-01', end: '2025-01-01', groups: [{ minAge: 65, uptake: 0.55 }, { minAge: 5, atRisk: true, uptake: 0.25 }] },
];
