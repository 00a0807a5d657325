import type { RankscopeApi } from "../../../shared/ipc/contract";
import { electronHost } from "./desktop";
import type { Host } from "./host";
import { webHost } from "./web";

declare global {
  interface Window {
    rankscope?: RankscopeApi;
  }
}

/** Electron when the preload exposed its API, web mode otherwise. */
export const host: Host =
  typeof window !== "undefined" && window.rankscope ? electronHost(window.rankscope) : webHost;
