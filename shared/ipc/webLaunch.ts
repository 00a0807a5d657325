/**
 * Web mode's small HTTP contract between its server (electron/web/webServer.ts) and the
 * page (renderer/src/host/web.ts): the files `rankscope --web <path>` serves.
 */
import type { NotRead } from "../ingest/report";

/** The page's URL parameter that carries the per-launch secret (`/?k=…`). */
export const KEY_PARAM = "k";
/** The request header the page sends the secret in, on every /api request. */
export const KEY_HEADER = "x-rankscope-key";

export interface LaunchFile {
  path: string;
  size: number;
  lastModified: number;
}

/** What GET /api/launch answers; file N of the list is GET /api/file/N. */
export interface LaunchList {
  files: LaunchFile[];
  /** What the server's folder walk found but did not read, for the page's file reports. */
  notRead: NotRead[];
}
