/**
 * While an import is read or saved, leaving the page (a reload, closing the window, quitting)
 * would lose it: nothing of it is in the library until the save ends. A browser asks the user
 * first; Electron does not ask by itself (the unload is just cancelled), so its main process
 * asks instead (electron/window.ts).
 */
let holds = 0;

function ask(e: Event): void {
  e.preventDefault();
  // Older engines ask only when returnValue is set.
  (e as BeforeUnloadEvent).returnValue = "";
}

/** Asks before the page is left until the returned release is called (once is enough). */
export function holdUnload(): () => void {
  if (holds++ === 0) globalThis.addEventListener?.("beforeunload", ask);
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    if (--holds === 0) globalThis.removeEventListener?.("beforeunload", ask);
  };
}
