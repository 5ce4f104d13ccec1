// The server renders every part of the page (complete without JavaScript); the script takes a part over only once it
// has what that part shows (the first snapshot, the layers it names things from). Until then the server's rendering
// stays, so a slow hub or layer never blanks what the resident is reading.

/**
 * When `ready` settles, empties `containers` (the server's rendering and its marker comments) and calls `mount`.
 * Resolves with what `mount` returned; when `ready` rejects, nothing is taken over and the promise rejects.
 */
export async function takeOver<T>(containers: HTMLElement[], ready: Promise<unknown>, mount: () => T): Promise<T> {
  await ready;
  containers.forEach((container) => container.replaceChildren());
  return mount();
}

/** Resolves once every promise has settled (loaded or failed): a part takes over with what it could get. */
export function settled(...promises: Promise<unknown>[]): Promise<void> {
  return Promise.allSettled(promises).then(() => undefined);
}
