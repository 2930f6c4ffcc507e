/**
 * The rules an item form checks as the user types — the same as the server's (which checks
 * them again and is the authority): what each field needs, as translation keys of the
 * `requirements` namespace.
 */

export const QUANTITY_MAX = 2_147_483_647;
export const CATEGORY_MAX_CHARS = 200;
export const UNIT_MAX_CHARS = 50;
export const TITLE_MAX_CHARS = 200;
export const RESTRICTED_TEXT_MAX_CHARS = 4_000;
const CYCLE = /^[0-9]{4}-(0[1-9]|1[0-2])$/;
const WHOLE = /^[0-9]+$/;

export type FieldProblem =
  | 'validation.required'
  | 'validation.tooLong'
  | 'validation.wholeNumber'
  | 'validation.quantityPositive'
  | 'validation.quantityTooLarge'
  | 'validation.stepAboveRequested'
  | 'validation.cycle';

/** Required text of at most `max` characters. */
export function checkText(value: string, max: number): FieldProblem | undefined {
  if (value.trim() === '') return 'validation.required';
  if (value.length > max) return 'validation.tooLong';
  return undefined;
}

export function checkOptionalText(value: string, max: number): FieldProblem | undefined {
  return value.length > max ? 'validation.tooLong' : undefined;
}

/** A requested quantity: a whole number from 1. */
export function checkRequestedQuantity(text: string): FieldProblem | undefined {
  const value = text.trim();
  if (value === '') return 'validation.required';
  if (!WHOLE.test(value)) return 'validation.wholeNumber';
  const number = Number(value);
  if (number < 1) return 'validation.quantityPositive';
  if (number > QUANTITY_MAX) return 'validation.quantityTooLarge';
  return undefined;
}

/**
 * The step packages take the item in: a whole number from 1, at most the requested quantity
 * (checked only once that is a valid quantity itself).
 */
export function checkQuantityStep(text: string, requestedText: string): FieldProblem | undefined {
  const problem = checkRequestedQuantity(text);
  if (problem) return problem;
  const requested = requestedText.trim();
  if (checkRequestedQuantity(requested) === undefined && Number(text.trim()) > Number(requested)) {
    return 'validation.stepAboveRequested';
  }
  return undefined;
}

/**
 * An approved quantity: a whole number from 0 (0 rejects the item). Its upper bounds are the
 * server's to hold.
 */
export function checkApprovedQuantity(text: string): FieldProblem | undefined {
  const value = text.trim();
  if (value === '') return 'validation.required';
  if (!WHOLE.test(value)) return 'validation.wholeNumber';
  return undefined;
}

export function checkCycle(text: string): FieldProblem | undefined {
  if (text.trim() === '') return 'validation.required';
  return CYCLE.test(text.trim()) ? undefined : 'validation.cycle';
}

/** The current month as `YYYY-MM` (UTC, the server's calendar). */
export function currentCycle(now: Date = new Date()): string {
  return now.toISOString().slice(0, 7);
}
