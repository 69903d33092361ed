import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, nhsNumberCheckDigit, POSTCODE_PATTERN } from '../../src/dataset/index.js';

describe('NHS number Modulus 11 (IDSREJ006)', () => {
  it('accepts numbers whose check digit matches', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('4010232137')).toBe(true);
  });
  it('rejects a wrong check digit, a check digit of 10, and non-digits', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    // 123456789: weighted sum 210, 11 - (210 mod 11) = 10, which no NHS number may carry.
    expect(nhsNumberCheckDigit('123456789')).toBeNull();
    // A remainder of 0 gives 11, written as check digit 0.
    expect(nhsNumberCheckDigit('000000000')).toBe(0);
    expect(isValidNhsNumber('94347659')).toBe(false);
    expect(isValidNhsNumber('94347659AB')).toBe(false);
  });
});

describe('postcode pattern (IDSREJ007)', () => {
  it('matches UK postcodes and rejects others', () => {
    for (const pc of ['LS1 4AP', 'M1 1AE', 'SW1A 1AA', 'B33 8TH', 'EC1A 1BB']) expect(POSTCODE_PATTERN.test(pc), pc).toBe(true);
    for (const pc of ['LS14AP', '1LS 4AP', 'NOT A POSTCODE', 'LS1 4A']) expect(POSTCODE_PATTERN.test(pc), pc).toBe(false);
  });
});
