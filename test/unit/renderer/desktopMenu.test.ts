import { describe, expect, it, vi } from "vitest";
import type { EventChannel, RankscopeApi } from "../../../shared/ipc/contract";
import { electronHost } from "../../../renderer/src/host/desktop";

/** A preload API whose `on` keeps the listeners, so a test can play main's events. */
function fakeApi() {
  const listeners = new Map<string, ((payload: unknown) => void)[]>();
  const api = {
    on: vi.fn((event: EventChannel, fn: (payload: unknown) => void) => {
      listeners.set(event, [...(listeners.get(event) ?? []), fn]);
      return () =>
        listeners.set(
          event,
          (listeners.get(event) ?? []).filter((f) => f !== fn),
        );
    }),
  } as unknown as RankscopeApi;
  const emit = (event: EventChannel, payload: unknown) => listeners.get(event)?.forEach((fn) => fn(payload));
  return { api, emit };
}

describe("menu commands in the desktop host", () => {
  it("Open Recent's paths reach the renderer's listener, until it unsubscribes", () => {
    const { api, emit } = fakeApi();
    const run = vi.fn();
    const off = electronHost(api).onMenu("open-paths", run);
    emit("menu:open-paths", { paths: ["/runs/a", "/runs/b"] });
    expect(run).toHaveBeenCalledWith({ paths: ["/runs/a", "/runs/b"] });
    off();
    emit("menu:open-paths", { paths: ["/runs/c"] });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("Find Lane and Keyboard Shortcuts arrive on their own channels", () => {
    const { api, emit } = fakeApi();
    const host = electronHost(api);
    const find = vi.fn();
    const shortcuts = vi.fn();
    host.onMenu("find", find);
    host.onMenu("shortcuts", shortcuts);
    emit("menu:find", {});
    expect([find.mock.calls.length, shortcuts.mock.calls.length]).toEqual([1, 0]);
    emit("menu:shortcuts", {});
    expect([find.mock.calls.length, shortcuts.mock.calls.length]).toEqual([1, 1]);
  });
});
