/**
 * Rules that recognise direct identifiers, by column name and by value. Value
 * rules are written to miss rather than to flag ordinary clinical text: phone
 * numbers need separators or a country code, postcodes must be upper case and
 * complete, and national ids must pass their check digit.
 */
import { isValidNhsNumber, isValidTaiwanId } from './check-digits';

export const RULES = [
  'person_name',
  'street_address',
  'phone_number',
  'email',
  'nhs_number',
  'taiwan_national_id',
  'uk_postcode',
  'date_of_birth',
] as const;
export type Rule = (typeof RULES)[number];

/** Column names (lower case, separators as '_') that hold an identifier whatever their values look like. */
const COLUMN_NAMES: Record<Rule, RegExp> = {
  person_name:
    /^(first|last|given|family|middle|full|patient|person|maiden|birth|sur|fore|pt)_?names?$|^(surname|forename|姓名|名字|病患姓名)$/,
  street_address:
    /^((home|street|postal|mailing|patient)_?)?(address|addr|street)(_?(line)?_?\d)?$|^(地址|住址|通訊地址)$/,
  phone_number:
    /^((home|work|mobile|cell|contact|patient)_?)?(phone|telephone|tel|mobile)(_?(no|number|num))?$|^(電話|手機|聯絡電話)$/,
  email: /^(e_?mail|email_?address|mail_address|電子郵件)$/,
  nhs_number: /^nhs(_?(no|number|num|id))?$/,
  taiwan_national_id:
    /^(national_?id(_?(no|number))?|id_?(no|number)|roc_?id|tw_?id|身分證(字號)?|身份證(字號)?)$/,
  uk_postcode: /^(post_?code|postal_?code|zip(_?code)?|郵遞區號)$/,
  date_of_birth:
    /^(dob|date_?of_?birth|birth_?date(time)?|birthdate|day_?of_?birth|出生日期|生日)$/,
};

export function columnRule(name: string): Rule | null {
  const normal = name
    .trim()
    .toLowerCase()
    .replace(/[\s.-]+/g, '_');
  for (const rule of RULES) if (COLUMN_NAMES[rule].test(normal)) return rule;
  return null;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
// Ten digits, or 3-3-4 with the same separator twice (as NHS numbers are printed).
const NHS = /(?<![\w/.-])(?:\d{10}|\d{3}([ -])\d{3}\1\d{4})(?![\w/.-])/g;
const TAIWAN_ID = /(?<![A-Za-z0-9])[A-Z][1289]\d{8}(?![A-Za-z0-9])/g;
const POSTCODE =
  /(?<![A-Za-z0-9])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])/;
const PHONE = [
  // International form: +44 20 7946 0018, +886 2 2345 6789, +886-912-345-678
  /(?<![\w+])\+\d{1,3}[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d{2,4}){2,4}(?!\d)/,
  // UK national form with spaces: 020 7946 0018, 01632 960123, 07700 900123
  /(?<![\d/.-])0\d{2,4}[ -]\d{3,4}[ -]?\d{3,4}(?![\d/.-])/,
  // Area code in brackets: (020) 7946 0018, (02) 2345-6789
  /\(0\d{1,4}\)\s?\d{3,4}[\s-]?\d{3,4}(?!\d)/,
  // Taiwan mobile and North American forms: 0912-345-678, 555-123-4567
  /(?<![\d/.-])(?:09\d{2}-\d{3}-\d{3}|\d{3}-\d{3}-\d{4})(?![\d/.-])/,
];
const STREET =
  /\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){1,4}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Close|Way|Court|Ct|Place|Crescent|Boulevard|Blvd|Terrace|Gardens|Grove|Square|Mews|Parade)\b/;
const STREET_ZH =
  /[\u4e00-\u9fff]{1,8}(?:路|街|大道)(?:[一二三四五六七八九十\d]+段)?(?:\d+巷)?(?:\d+弄)?\d+號/;
const TITLED_NAME = /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+[A-Z][a-z]+(?:[\s-][A-Z][a-z'’]+)+/;
const DOB_TEXT =
  /\b(?:DOB|D\.O\.B\.?|date of birth|born(?: on)?)\s*[:-]?\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}/i;

/** Return the first rule a text value matches, or null. */
export function valueRule(text: string): Rule | null {
  if (text.length < 6) return null;
  if (text.includes('@') && EMAIL.test(text)) return 'email';
  if (/\d/.test(text)) {
    for (const match of text.matchAll(NHS)) if (isValidNhsNumber(match[0])) return 'nhs_number';
    for (const match of text.matchAll(TAIWAN_ID))
      if (isValidTaiwanId(match[0])) return 'taiwan_national_id';
    if (DOB_TEXT.test(text)) return 'date_of_birth';
    if (PHONE.some((pattern) => pattern.test(text))) return 'phone_number';
    if (STREET.test(text) || STREET_ZH.test(text)) return 'street_address';
    if (POSTCODE.test(text)) return 'uk_postcode';
  }
  if (TITLED_NAME.test(text)) return 'person_name';
  return null;
}

/** Whole values shaped like an NHS number (10 digits, or 3-3-4) or a Taiwan id. */
export const NATIONAL_ID_SHAPE = /^(?:\d{10}|\d{3}([ -])\d{3}\1\d{4}|[A-Z][1289]\d{8})$/;

/** Return the rule of a whole value that is a national id with a valid check digit (for key columns), or null. */
export function idValueRule(text: string): Rule | null {
  if (NATIONAL_ID_SHAPE.test(text) && isValidNhsNumber(text)) return 'nhs_number';
  if (isValidTaiwanId(text)) return 'taiwan_national_id';
  return null;
}
