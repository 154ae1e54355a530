import { describe, expect, it } from 'vitest';
import type { AttritionStep } from '../../shared/cohorts';
import { maskAttrition } from './masking';

function step(name: string, persons: number, lostPersons: number): AttritionStep {
  return {
    kind: name === 'dataset' ? 'dataset' : 'rule',
    name,
    persons,
    events: persons * 10,
    lostPersons,
    lostEvents: lostPersons * 10,
    satisfiedPersons: name === 'dataset' ? null : persons,
  } as AttritionStep;
}

describe('maskAttrition', () => {
  it('hides the neighbours that would reveal a masked count', () => {
    const masked = maskAttrition(
      [step('dataset', 500, 0), step('age', 79, 421), step('diabetes', 7, 72), step('alive', 5, 2)],
      10,
    );

    // Before the small count, nothing is masked.
    expect(masked[1]!.persons).toEqual({ value: 79, masked: false });
    expect(masked[1]!.lostPersons).toEqual({ value: 421, masked: false });
    // 79 - 72 would give the 7 away, so the lost count is masked with it, and so is every later step.
    expect(masked[2]!.persons.masked).toBe(true);
    expect(masked[2]!.lostPersons).toEqual({ value: null, masked: true });
    expect(masked[3]!.persons.value).toBeNull();
    expect(masked[3]!.lostPersons.value).toBeNull();
    // Events have their own chain, and none of them is under 10 here.
    expect(masked[2]!.events).toEqual({ value: 70, masked: false });
    expect(masked[3]!.lostEvents).toEqual({ value: 20, masked: false });
  });

  it('masks a small lost count but not the large counts around it', () => {
    const masked = maskAttrition([step('dataset', 1000, 0), step('age', 996, 4)], 10);
    expect(masked[1]!.lostPersons).toEqual({ value: null, masked: true });
    expect(masked[1]!.persons).toEqual({ value: 996, masked: false });
  });

  it('leaves a table without small counts as it is', () => {
    const masked = maskAttrition([step('dataset', 1000, 0), step('age', 900, 100)], 10);
    expect(masked.map((row) => row.persons.value)).toEqual([1000, 900]);
    expect(masked.map((row) => row.lostPersons.value)).toEqual([0, 100]);
  });
});
