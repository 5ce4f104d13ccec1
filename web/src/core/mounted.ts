// A mounted view can be taken down: dispose() ends everything it subscribed to (the situation store, the language,
// the clock, its timers) and empties what it drew, so a page can swap views without leaking listeners.
export interface Mounted {
  dispose(): void;
}

/** Collects a view's unsubscribes; `dispose` calls each one once, newest first. */
export function subscriptions(): { add(stop: () => void): void; dispose(): void } {
  const stops: Array<() => void> = [];
  return {
    add: (stop) => void stops.push(stop),
    dispose: () => stops.splice(0).reverse().forEach((stop) => stop()),
  };
}
