import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from "electron";
import type { EventChannel, EventMap, InvokeChannel, InvokeMap } from "../shared/ipc/contract";
import type { AppOrigins } from "./security";

/*
 * The only module that touches ipcMain. Channel names and payload types come from the
 * contract in shared/ipc; the renderer's arguments are still untrusted at run time, so each
 * handler validates what it is given.
 */

export type Handler<C extends InvokeChannel> = (
  event: IpcMainInvokeEvent,
  ...args: InvokeMap[C]["args"]
) => InvokeMap[C]["result"] | Promise<InvokeMap[C]["result"]>;

let origins: AppOrigins | null = null;

/** Messages are accepted only from the app's own top-level page; until set, from nobody. */
export function trustSenders(appOrigins: AppOrigins): void {
  origins = appOrigins;
}

type SenderEvent = Pick<IpcMainInvokeEvent, "senderFrame">;

export function isTrustedSender(event: SenderEvent): boolean {
  const frame = event.senderFrame;
  return !!origins && !!frame && frame.parent === null && origins.isApp(frame.url);
}

export function handle<C extends InvokeChannel>(channel: C, fn: Handler<C>): void {
  ipcMain.handle(channel, (event, ...args: unknown[]) => {
    if (!isTrustedSender(event)) throw new Error(`${channel}: refused, the sender is not the app`);
    return fn(event, ...(args as InvokeMap[C]["args"]));
  });
}

/** Main → renderer; a closed window is skipped rather than thrown at. */
export function send<E extends EventChannel>(contents: WebContents, event: E, payload: EventMap[E]): boolean {
  if (contents.isDestroyed()) return false;
  contents.send(event, payload);
  return true;
}

/** A fire-and-forget channel between preload and main that is not in the contract. */
export function onInternal(channel: string, fn: (event: IpcMainEvent, ...args: unknown[]) => void): void {
  ipcMain.on(channel, (event, ...args: unknown[]) => {
    if (isTrustedSender(event)) fn(event, ...args);
  });
}

/** Removes every handler this module installed (tests, and a window being recreated). */
export function removeHandlers(channels: readonly string[]): void {
  for (const c of channels) {
    ipcMain.removeHandler(c);
    ipcMain.removeAllListeners(c);
  }
}
