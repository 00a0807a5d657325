import type { Model } from "../model/types";
export function toChromeTrace(_model: Model): unknown {
  throw new Error("chrome-trace export is not built yet");
}
