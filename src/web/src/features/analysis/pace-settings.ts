/**
 * The pace's own options in the page's URL: `targetPerMonth` and `goal`, decimal text in the
 * reporting currency (`2000000000.00`), as the API takes them; anything malformed is ignored.
 */
import { minorToDecimal } from '../../i18n/money';

const AMOUNT = /^(0|[1-9]\d{0,17})(\.\d{1,2})?$/;

export interface PaceSettings {
  targetPerMonth?: string;
  goal?: string;
}

export function paceSettingsOf(search: URLSearchParams): PaceSettings {
  const target = search.get('targetPerMonth');
  const goal = search.get('goal');
  return {
    ...(target && AMOUNT.test(target) ? { targetPerMonth: target } : {}),
    ...(goal && AMOUNT.test(goal) ? { goal } : {}),
  };
}

/** Minor units of a 2-decimal reporting currency → the URL's decimal text. */
export function amountParam(minor: string): string {
  return minorToDecimal(minor, 2);
}

/** The URL's decimal text → minor units (for the form's fields). */
export function amountMinorOf(text: string | undefined): string | null {
  if (text === undefined) return null;
  const [whole = '0', fraction = ''] = text.split('.');
  return `${whole}${fraction.padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
}
