import { describe, expect, it } from 'vitest';
import { argmaxRows, classificationReport, confusionMatrix, evaluate, groupScores } from '../src/metrics.ts';

// Expected values are worked out by hand in the comments (exact fractions); tolerance 1e-12.
const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 12);

describe('confusionMatrix', () => {
  it('counts true (rows) against predicted (columns)', () => {
    expect(confusionMatrix([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it('names the bad label', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/y_true\[1\] = 3/);
    expect(() => confusionMatrix([0, 1], [0], 3)).toThrow(/2 labels but y_pred has 1/);
  });
});

describe('classificationReport', () => {
  it('matches a hand-computed three-class case', () => {
    // cm [[2,1,0],[0,1,1],[0,0,1]]
    // a: P 2/2, R 2/3, F1 0.8 | b: P 1/2, R 1/2, F1 0.5 | c: P 1/2, R 1/1, F1 2/3
    const r = evaluate([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], ['a', 'b', 'c']);
    expect(r.count).toBe(6);
    close(r.accuracy, 4 / 6);
    close(r.perClass.a.precision, 1);
    close(r.perClass.a.recall, 2 / 3);
    close(r.perClass.a.f1, 0.8);
    close(r.perClass.b.f1, 0.5);
    close(r.perClass.c.precision, 0.5);
    close(r.perClass.c.f1, 2 / 3);
    expect(r.perClass.a.support).toBe(3);
    close(r.balancedAccuracy, (2 / 3 + 1 / 2 + 1) / 3); // 13/18
    close(r.macroPrecision, (1 + 0.5 + 0.5) / 3);
    close(r.macroF1, (0.8 + 0.5 + 2 / 3) / 3); // 59/90
    close(r.weightedF1, (0.8 * 3 + 0.5 * 2 + (2 / 3) * 1) / 6); // 61/90
  });

  it('averages over classes present in y_true; predictions into an absent class still cost', () => {
    // classes a,b,c; c has no true sample but is predicted once (a sample of a).
    // cm [[1,0,1],[0,2,0],[0,0,0]]
    // a: P 1, R 1/2, F1 2/3 | b: P 1, R 1, F1 1 | c: P 0/1 = 0, R 0/0 -> 0, F1 0
    const r = evaluate([0, 0, 1, 1], [0, 2, 1, 1], ['a', 'b', 'c']);
    expect(r.perClass.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    close(r.macroF1, (2 / 3 + 1) / 2); // sklearn average='macro' over all labels would give 5/9
    close(r.balancedAccuracy, (1 / 2 + 1) / 2); // = sklearn balanced_accuracy_score
    close(r.macroPrecision, 1);
    close(r.weightedF1, ((2 / 3) * 2 + 1 * 2) / 4);
    close(r.accuracy, 3 / 4);
  });

  it('a class neither present nor predicted changes nothing (zero_division = 0, no NaN)', () => {
    const r = evaluate([0, 1, 1], [0, 1, 0], ['a', 'b', 'c']);
    // a: P 1/2, R 1, F1 2/3 | b: P 1, R 1/2, F1 2/3
    expect(r.perClass.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    close(r.macroF1, 2 / 3);
    close(r.balancedAccuracy, 3 / 4);
  });

  it('an empty split gives zeros, not NaN', () => {
    const r = evaluate([], [], ['a', 'b']);
    expect([r.count, r.accuracy, r.macroF1, r.balancedAccuracy, r.weightedF1]).toEqual([0, 0, 0, 0, 0]);
  });

  it('rejects a matrix that does not match the classes', () => {
    expect(() => classificationReport([[1]], ['a', 'b'])).toThrow(/1 rows for 2 classes/);
  });
});

describe('groupScores', () => {
  it('scores each group on its own and skips unknown groups', () => {
    const yTrue = [0, 1, 0, 1, 1];
    const yPred = [0, 1, 1, 1, 0];
    const groups = ['male', 'male', 'female', 'female', ''];
    const g = groupScores(yTrue, yPred, groups, ['a', 'b']);
    expect(Object.keys(g)).toEqual(['female', 'male']);
    // male: perfect -> macro-F1 1
    expect(g.male).toEqual({ count: 2, accuracy: 1, macroF1: 1 });
    // female: true [0,1], pred [1,1]: a P 0 R 0 F1 0; b P 1/2 R 1 F1 2/3 -> macro 1/3
    expect(g.female.count).toBe(2);
    close(g.female.accuracy, 0.5);
    close(g.female.macroF1, 1 / 3);
  });
});

describe('argmaxRows', () => {
  it('picks the most probable class of each row (first on ties)', () => {
    expect(Array.from(argmaxRows(new Float32Array([0.1, 0.7, 0.2, 0.5, 0.5, 0, 0, 0, 1]), 3))).toEqual([1, 0, 2]);
    expect(() => argmaxRows(new Float32Array(4), 3)).toThrow(/whole number of rows/);
  });
});
