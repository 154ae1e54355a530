/** De-identification scan of imports: direct identifiers are rejected, dropped or coarsened. */
export { DeidScanner, FileScan, identifiersFound, type DeidAction, type DeidHit } from './scanner';
export { columnRule, idValueRule, RULES, valueRule, type Rule } from './rules';
export { isValidNhsNumber, isValidTaiwanId } from './check-digits';
