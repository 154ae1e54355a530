/** Check-digit validation of national identifiers, so random numbers are not taken for them. */

/**
 * Check a UK NHS number: ten digits, where the first nine are weighted 10 down
 * to 2 and summed. The tenth digit is 11 minus that sum mod 11, with 11 written
 * as 0, and a result of 10 means the number is never issued.
 */
export function isValidNhsNumber(text: string): boolean {
  const digits = text.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** Area letters of Taiwan national identification numbers, A=10 ... with I, O, W, Z out of order. */
const TAIWAN_LETTERS: Record<string, number> = {
  A: 10,
  B: 11,
  C: 12,
  D: 13,
  E: 14,
  F: 15,
  G: 16,
  H: 17,
  I: 34,
  J: 18,
  K: 19,
  L: 20,
  M: 21,
  N: 22,
  O: 35,
  P: 23,
  Q: 24,
  R: 25,
  S: 26,
  T: 27,
  U: 28,
  V: 29,
  W: 32,
  X: 30,
  Y: 31,
  Z: 33,
};

/**
 * Taiwan national identification number (and the 2021 resident certificate
 * number): a letter and nine digits. The letter's two-digit code weighted 1 and
 * 9, the digits weighted 8 down to 1 and the last digit 1 must sum to a
 * multiple of 10.
 */
export function isValidTaiwanId(text: string): boolean {
  const match = /^([A-Z])([1289]\d{8})$/.exec(text);
  if (!match) return false;
  const code = TAIWAN_LETTERS[match[1]!]!;
  const digits = match[2]!;
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (8 - i);
  sum += Number(digits[8]);
  return sum % 10 === 0;
}
