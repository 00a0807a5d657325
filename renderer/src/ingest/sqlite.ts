import initSqlJs from "sql.js";
import wasmUrl from "sql.js/dist/sql-wasm.wasm?url";
import { setSqlJsLoader } from "../../../shared/formats/rune/sqlite";

/** RUNE's SQLite store in a Web Worker: sql.js's wasm is a bundled asset, not a file beside the script. */
export function loadBundledSqlJs(): void {
  setSqlJsLoader(() => initSqlJs({ locateFile: () => wasmUrl }));
}
