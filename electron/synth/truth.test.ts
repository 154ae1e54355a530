import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { computeTruth, OUTCOME_CODES, synthesizeMeds } from './index';
import { checkTruth, type TruthCheck } from './truth-check';

/**
 * The "done when" check at a size that runs in seconds: true 1-year risks from
 * 2023-01-01 against what the simulation recorded in 2023.
 */
let dir: string;
let check: TruthCheck;
const people = 2_500;

beforeAll(async () => {
  dir = join(tempDir(), 'population');
  await synthesizeMeds({ people, seed: 7, dir });
  check = await checkTruth({
    dataset: dir,
    cutoff: '2023-01-01',
    horizonDays: 365,
    replicates: 20,
  });
}, 120_000);

afterAll(removeTempDirs);

describe('computeTruth', () => {
  it('keeps every standard error below the target', () => {
    expect(check.people).toBeGreaterThan(people * 0.8);
    expect(check.maxStandardError).toBeLessThanOrEqual(0.005);
  });

  it('matches the observed share of each code', () => {
    let tested = 0;
    for (const code of check.codes) {
      // Codes expected in fewer than 20 people have too few cases for a useful test.
      if (code.expected * check.people < 20) continue;
      tested++;
      expect(Math.abs(code.z), `${code.code}: ${code.expected} vs ${code.observed}`).toBeLessThan(
        4,
      );
    }
    expect(tested).toBeGreaterThanOrEqual(12);
  });

  it('matches the share over replicate continuations of the simulation', () => {
    let tested = 0;
    for (const code of check.codes) {
      // Vaccine decisions are shared by a person's replicates, so their z is overstated.
      if (code.code.startsWith('VACCINE//')) continue;
      if (code.expected * check.people * check.replicates < 50) continue;
      tested++;
      expect(
        Math.abs(code.continuedZ),
        `${code.code}: ${code.expected} vs ${code.continued}`,
      ).toBeLessThan(4);
    }
    expect(tested).toBeGreaterThanOrEqual(30);
  });

  it('is calibrated within risk deciles', () => {
    const codes = [
      'GP//CONSULTATION',
      'ADMISSION//EMERGENCY',
      'VACCINE//INFLUENZA',
      'MEDS_DEATH',
      'SMOKING//NEVER',
      'ICD10//N39',
    ];
    for (const code of codes) {
      const k = OUTCOME_CODES.indexOf(code);
      const ranked = [...check.persons].sort((a, b) => a.probability[k]! - b.probability[k]!);
      const size = Math.floor(ranked.length / 10);
      for (let decile = 0; decile < 10; decile++) {
        const group = ranked.slice(decile * size, (decile + 1) * size);
        const mean = group.reduce((sum, p) => sum + p.probability[k]!, 0) / group.length;
        const share = group.reduce((sum, p) => sum + p.observed[k]!, 0) / group.length;
        // A 99.9% normal-approximation binomial interval, widened by one case for small risks.
        const halfWidth = 3.3 * Math.sqrt((mean * (1 - mean)) / group.length) + 1 / group.length;
        expect(Math.abs(share - mean), `${code} decile ${decile + 1}`).toBeLessThanOrEqual(
          halfWidth,
        );
      }
    }
  });

  it('writes a CSV with one row per person and code', async () => {
    const out = join(tempDir(), 'truth.csv');
    const summary = await computeTruth({
      dataset: dir,
      cutoff: '2024-06-01',
      horizonDays: 30,
      people: 50,
      out,
    });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('subject_id,code,probability,standard_error');
    expect(lines).toHaveLength(1 + summary.people * OUTCOME_CODES.length);
    const [, code, probability] = lines[1]!.split(',');
    expect(OUTCOME_CODES).toContain(code);
    expect(Number(probability)).toBeGreaterThanOrEqual(0);
  });
});
