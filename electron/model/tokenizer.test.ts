import { describe, expect, it } from 'vitest';
import { modelCode, tokenKind } from './code-mapping';
import { SECONDS_PER_YEAR, type Timeline } from './timeline';
import { tokenizeTimeline, truncateSequence } from './tokenizer';
import { buildVocabulary } from './vocabulary';

const vocabulary = buildVocabulary(
  new Map([
    ['GENDER//F', 10],
    ['SMOKING//CURRENT', 9],
    ['ICD10//E11', 8],
    ['ADMISSION//INPATIENT', 7],
    ['MEDS_DEATH', 6],
    ['ICD10//Z00', 1],
  ]),
  new Map([['ICD10//E11', 'Type 2 diabetes mellitus']]),
  5,
);
const id = (code: string) => vocabulary.id(code)!;
const birth = Date.UTC(1950, 0, 1) / 1000;
const at = (years: number) => birth + years * SECONDS_PER_YEAR;

const timeline: Timeline = {
  subjectId: 42,
  birthTime: birth,
  events: [
    { time: null, code: 'GENDER//F' },
    { time: birth, code: 'MEDS_BIRTH' },
    { time: at(20), code: 'SMOKING//CURRENT' },
    { time: at(50), code: 'ICD10//E11.9' },
    { time: at(50.5), code: 'ADMISSION//INPATIENT' },
    { time: at(51), code: 'LAB//12345' },
    { time: at(60), code: 'ICD10//Z00' },
  ],
};

describe('modelCode', () => {
  it('cuts ICD-10 codes to their category', () => {
    expect(modelCode('ICD10//E11.9')).toBe('ICD10//E11');
    expect(modelCode('ICD10//E119')).toBe('ICD10//E11');
    expect(modelCode('ICD10//E11')).toBe('ICD10//E11');
    expect(modelCode('DIAGNOSIS//ICD//10//E119')).toBe('ICD10//E11');
    expect(modelCode('ICD10CM//I25.10')).toBe('ICD10//I25');
  });

  it('maps MIMIC-IV admission types onto the admission tokens', () => {
    expect(modelCode('HOSPITAL_ADMISSION//EW EMER.//EMERGENCY ROOM')).toBe('ADMISSION//EMERGENCY');
    expect(modelCode('HOSPITAL_ADMISSION//URGENT//TRANSFER FROM HOSPITAL')).toBe(
      'ADMISSION//EMERGENCY',
    );
    expect(modelCode('HOSPITAL_ADMISSION//ELECTIVE//PHYSICIAN REFERRAL')).toBe(
      'ADMISSION//INPATIENT',
    );
    expect(modelCode('HOSPITAL_ADMISSION//EU OBSERVATION//EMERGENCY ROOM')).toBeNull();
    expect(modelCode('DIAGNOSIS//ICD//9//4019')).toBe('DIAGNOSIS//ICD//9//4019');
  });

  it('keeps other codes and skips birth', () => {
    expect(modelCode('ADMISSION//INPATIENT')).toBe('ADMISSION//INPATIENT');
    expect(modelCode('MEDS_BIRTH')).toBeNull();
  });

  it('classifies token kinds', () => {
    expect(tokenKind('GENDER//M')).toBe('sex');
    expect(tokenKind('SMOKING//NEVER')).toBe('lifestyle');
    expect(tokenKind('ICD10//I10')).toBe('condition');
    expect(tokenKind('MEDS_DEATH')).toBe('death');
  });
});

describe('buildVocabulary', () => {
  it('puts padding and no-event first and drops rare codes', () => {
    expect(vocabulary.tokens[0]!.code).toBe('<pad>');
    expect(vocabulary.tokens[1]!.code).toBe('<no-event>');
    expect(vocabulary.id('ICD10//Z00')).toBeUndefined();
    expect(vocabulary.tokens[id('ICD10//E11')]!.description).toBe('Type 2 diabetes mellitus');
  });
});

describe('tokenizeTimeline', () => {
  it('puts sex first and reports coverage', () => {
    const sequence = tokenizeTimeline(timeline, vocabulary, { noEventYears: 5 })!;
    expect(sequence.tokens[0]).toBe(id('GENDER//F'));
    expect(sequence.ages[0]).toBe(0);
    // Birth is not an event; the lab code and the rare Z00 have no token.
    expect(sequence.events).toBe(6);
    expect(sequence.readable).toBe(4);
  });

  it('inserts no-event tokens in silent years only', () => {
    const sequence = tokenizeTimeline(timeline, vocabulary, { noEventYears: 5 })!;
    const noEvents = sequence.ages.filter((_, i) => sequence.tokens[i] === vocabulary.noEvent);
    // 0-20 and 20-50 are silent: 3 or 4 grid points before 20, 5 or 6 between 25 and 50.
    expect(noEvents.length).toBeGreaterThanOrEqual(8);
    expect(noEvents.length).toBeLessThanOrEqual(10);
    for (const age of noEvents) expect(age < 20 || (age >= 25 && age < 50)).toBe(true);
    expect([...sequence.ages]).toEqual([...sequence.ages].sort((a, b) => a - b));
  });

  it('stops at the cut-off and starts the forecast there', () => {
    const sequence = tokenizeTimeline(timeline, vocabulary, { noEventYears: 5, until: at(50.2) })!;
    expect(sequence.tokens.includes(id('ADMISSION//INPATIENT'))).toBe(false);
    // No no-event token after the last event: training only has them after years of silence.
    expect(sequence.tokens.at(-1)).not.toBe(vocabulary.noEvent);
    expect(sequence.ages.at(-1)).toBeLessThan(50.2);
    expect(sequence.startAge).toBeCloseTo(50.2, 5);
    expect(sequence.events).toBe(3);
  });

  it('has no start age without a cut-off', () => {
    expect(tokenizeTimeline(timeline, vocabulary, { noEventYears: 5 })!.startAge).toBeUndefined();
  });

  it('returns null without a birth time', () => {
    expect(
      tokenizeTimeline({ ...timeline, birthTime: null }, vocabulary, { noEventYears: 5 }),
    ).toBeNull();
  });

  it('reads a person with no events from sex alone', () => {
    const sequence = tokenizeTimeline(
      { subjectId: 1, birthTime: birth, events: [{ time: null, code: 'GENDER//F' }] },
      vocabulary,
      { noEventYears: 5, until: at(3) },
    )!;
    expect(sequence.tokens).toEqual([id('GENDER//F')]);
    expect(sequence.startAge).toBeCloseTo(3, 5);
  });

  it('starts from a no-event token when nothing is readable', () => {
    const sequence = tokenizeTimeline(
      { subjectId: 1, birthTime: birth, events: [{ time: at(1), code: 'LAB//UNKNOWN' }] },
      vocabulary,
      { noEventYears: 5, until: at(3) },
    )!;
    expect(sequence.tokens).toEqual([vocabulary.noEvent]);
    expect(sequence.ages[0]).toBeCloseTo(3, 5);
  });
});

describe('truncateSequence', () => {
  it('drops the oldest events but keeps sex and lifestyle', () => {
    const sequence = tokenizeTimeline(timeline, vocabulary, { noEventYears: 5 })!;
    const cut = truncateSequence(sequence, 4, vocabulary);
    expect(cut.tokens).toEqual([
      id('GENDER//F'),
      id('SMOKING//CURRENT'),
      id('ICD10//E11'),
      id('ADMISSION//INPATIENT'),
    ]);
    expect(cut.ages[1]).toBeCloseTo(20, 5);
  });

  it('lists the tokens it drops', () => {
    const sequence = tokenizeTimeline(timeline, vocabulary, { noEventYears: 5 })!;
    const cut = truncateSequence(sequence, 3, vocabulary);
    expect(cut.tokens).toEqual([
      id('GENDER//F'),
      id('SMOKING//CURRENT'),
      id('ADMISSION//INPATIENT'),
    ]);
    expect(cut.dropped).toContain(id('ICD10//E11'));
    expect(cut.dropped).not.toContain(id('GENDER//F'));
    expect(cut.dropped!.length + cut.tokens.length).toBe(sequence.tokens.length);

    // Truncating again keeps what the first cut dropped.
    const again = truncateSequence(cut, 2, vocabulary);
    expect(again.dropped).toEqual([...cut.dropped!, id('ADMISSION//INPATIENT')]);
  });
});
