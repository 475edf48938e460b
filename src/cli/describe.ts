import ms from 'ms';
import { levelName } from '../config/levels.ts';

// The mode's wording is shared with the register entry's start-up line.
export { modeLine, modeReason } from '../config/describeMode.ts';

/** SeverityNumber → "WARN". */
export function levelLabel(severity: number): string {
  return levelName(severity).toUpperCase();
}

/** 5000 → "5s", 7_200_000 → "2h". */
export function durationLabel(milliseconds: number): string {
  return ms(milliseconds);
}
