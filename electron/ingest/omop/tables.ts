import type { CsvRecord } from './csv-table';
import { conceptField, numberField, timeField } from './fields';

/**
 * How one OMOP clinical table becomes MEDS events: which concept columns name
 * the code (standard concept first, then the source concept), which columns
 * hold the time and the value.
 */
export interface EventTableSpec {
  table: string;
  conceptColumn: string;
  sourceConceptColumn: string | null;
  sourceValueColumn: string | null;
  /** Prefix of the fallback code built from the source value when no concept matches. */
  sourcePrefix: string;
  datetimeColumn: string;
  dateColumn: string;
  value?: (record: CsvRecord) => { numeric: number | null; text: string | null };
}

// NOTE: codes come from the standard concept (usually SNOMED for conditions). An
// ICD-10-coded site's conditions therefore appear as SNOMED unless their standard
// mapping is missing, and source ICD-10 codes are not kept as separate events.
export const EVENT_TABLES: EventTableSpec[] = [
  {
    table: 'condition_occurrence',
    conceptColumn: 'condition_concept_id',
    sourceConceptColumn: 'condition_source_concept_id',
    sourceValueColumn: 'condition_source_value',
    sourcePrefix: 'CONDITION_SOURCE',
    datetimeColumn: 'condition_start_datetime',
    dateColumn: 'condition_start_date',
  },
  {
    table: 'drug_exposure',
    conceptColumn: 'drug_concept_id',
    sourceConceptColumn: 'drug_source_concept_id',
    sourceValueColumn: 'drug_source_value',
    sourcePrefix: 'DRUG_SOURCE',
    datetimeColumn: 'drug_exposure_start_datetime',
    dateColumn: 'drug_exposure_start_date',
  },
  {
    table: 'procedure_occurrence',
    conceptColumn: 'procedure_concept_id',
    sourceConceptColumn: 'procedure_source_concept_id',
    sourceValueColumn: 'procedure_source_value',
    sourcePrefix: 'PROCEDURE_SOURCE',
    datetimeColumn: 'procedure_datetime',
    dateColumn: 'procedure_date',
  },
  {
    table: 'measurement',
    conceptColumn: 'measurement_concept_id',
    sourceConceptColumn: 'measurement_source_concept_id',
    sourceValueColumn: 'measurement_source_value',
    sourcePrefix: 'MEASUREMENT_SOURCE',
    datetimeColumn: 'measurement_datetime',
    dateColumn: 'measurement_date',
    value: (record) => {
      const numeric = numberField(record, 'value_as_number');
      const text = numeric === null ? record.get('value_source_value').trim() || null : null;
      return { numeric, text };
    },
  },
  {
    table: 'observation',
    conceptColumn: 'observation_concept_id',
    sourceConceptColumn: 'observation_source_concept_id',
    sourceValueColumn: 'observation_source_value',
    sourcePrefix: 'OBSERVATION_SOURCE',
    datetimeColumn: 'observation_datetime',
    dateColumn: 'observation_date',
    value: (record) => ({
      numeric: numberField(record, 'value_as_number'),
      text: record.get('value_as_string').trim() || null,
    }),
  },
];

export function requiredColumns(spec: EventTableSpec): string[] {
  return ['person_id', spec.conceptColumn, spec.dateColumn];
}

export function eventTime(record: CsvRecord, spec: EventTableSpec): number {
  return timeField(record, spec.datetimeColumn, spec.dateColumn);
}

export function conceptIds(record: CsvRecord, spec: EventTableSpec): [number, number] {
  return [
    conceptField(record, spec.conceptColumn),
    spec.sourceConceptColumn ? conceptField(record, spec.sourceConceptColumn) : 0,
  ];
}
