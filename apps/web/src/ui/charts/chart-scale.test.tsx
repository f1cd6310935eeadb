import { describe, expect, it } from 'vitest';
import { niceTicks } from './chart-scale';

describe('chart axis ticks', () => {
  it('rounds a balance axis to steps of 1, 2 or 5 × 10ⁿ that cover the values', () => {
    expect(niceTicks(0, 110)).toEqual([0, 50, 100, 150]);
    expect(niceTicks(1_000, 1_100)).toEqual([1_000, 1_050, 1_100]);
    expect(niceTicks(-30, 70)).toEqual([-50, 0, 50, 100]);
  });

  it('never gives a count axis two ticks with the same whole-number label', () => {
    expect(niceTicks(0, 1, { wholeNumbers: true })).toEqual([0, 1]);
    expect(niceTicks(0, 3, { wholeNumbers: true })).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, 9, { wholeNumbers: true })).toEqual([0, 5, 10]);
  });

  it('gives a flat series a span from zero to draw in', () => {
    expect(niceTicks(100, 100)).toEqual([0, 50, 100]);
    expect(niceTicks(0, 0)).toEqual([0, 0.5, 1]);
  });
});
