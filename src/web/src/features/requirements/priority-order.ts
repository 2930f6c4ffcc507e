/**
 * The priority order the recipient edits before saving it: item ids, most important first.
 * Pure, so the page's drag, keyboard and button moves share one tested rule.
 */

/** `order` with the id at `from` moved to `to` (both clamped to the list); a new array. */
export function moveItem(order: readonly string[], from: number, to: number): string[] {
  const next = [...order];
  if (from < 0 || from >= next.length) return next;
  const target = Math.max(0, Math.min(next.length - 1, to));
  const [moved] = next.splice(from, 1);
  next.splice(target, 0, moved!);
  return next;
}

export function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index]);
}

/**
 * The order to show: the edited one while it still names exactly the server's items (same
 * set), else the server's (an item was added or removed meanwhile: the edit no longer fits).
 */
export function effectiveOrder(
  serverOrder: readonly string[],
  edited: readonly string[] | null,
): string[] {
  if (edited === null || edited.length !== serverOrder.length) return [...serverOrder];
  const server = new Set(serverOrder);
  return edited.every((id) => server.has(id)) && new Set(edited).size === edited.length
    ? [...edited]
    : [...serverOrder];
}
