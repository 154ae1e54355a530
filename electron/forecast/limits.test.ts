import { describe, expect, it } from 'vitest';
import { newTokenBudget } from './limits';

describe('newTokenBudget', () => {
  it('gives 40 tokens per year of horizon', () => {
    expect(newTokenBudget(128, 365)).toBe(40);
    expect(newTokenBudget(128, 548)).toBe(61);
  });

  it('keeps at least 16 tokens for short horizons', () => {
    expect(newTokenBudget(128, 30)).toBe(16);
  });

  it('leaves at least half the context to the history', () => {
    expect(newTokenBudget(128, 3653)).toBe(64);
    expect(newTokenBudget(64, 365)).toBe(32);
  });
});
