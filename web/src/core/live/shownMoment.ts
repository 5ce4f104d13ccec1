// The moment the page shows: null while it follows the live situation, a past moment while HQ travels back in time.
// One value for the whole page, so every read that depends on time (charts, histories, the report) asks for the same
// moment the map shows.
let shown: Date | null = null;
const listeners = new Set<(moment: Date | null) => void>();

export function shownMoment(): Date | null {
  return shown;
}

/** Sets the moment shown (null: live) and tells every listener. */
export function showMoment(moment: Date | null): void {
  shown = moment;
  listeners.forEach((listener) => listener(moment));
}

/** Calls `listener` after each change of the moment shown; returns what stops that. */
export function onShownMomentChange(listener: (moment: Date | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** `until=` for a read of the moment shown ('' while live), to add to a query string. */
export function untilShown(separator: '?' | '&'): string {
  return shown ? `${separator}until=${encodeURIComponent(shown.toISOString())}` : '';
}
