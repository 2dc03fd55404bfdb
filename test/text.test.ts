import { describe, expect, it } from 'vitest';
import { occurrences } from '../lib/text.js';

describe('occurrences', () => {
  it('counts every one of the characters, and stops one past the limit', () => {
    // GIVEN a text with 3 newlines and 2 commas / WHEN counted / THEN all 5, or the limit plus one
    expect(occurrences('a,b\nc\n,d\n', ['\n', ','])).toBe(5);
    expect(occurrences('a,b\nc\n,d\n', ['\n', ','], 2)).toBe(3);
    expect(occurrences('"\\"', ['"', '\\'])).toBe(3);
    expect(occurrences('plain', ['"'])).toBe(0);
  });
});
