/**
 * How big one record may be. Records are JSON.parse'd one at a time, and a parsed value
 * costs several times its text: a 300 MB record took 3.4 GB and 20 s before it was refused
 * up front. The text of a record over this size is never assembled.
 */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;

/** "315 MB" for a length in characters (one byte each for the ASCII that JSON mostly is). */
export function sizeText(chars: number): string {
  if (chars >= 1e6) return `${Math.round(chars / 1e6)} MB`;
  if (chars >= 1e3) return `${Math.round(chars / 1e3)} kB`;
  return `${chars} bytes`;
}

export function limitText(limit: number): string {
  return limit % (1 << 20) === 0 ? `${limit / (1 << 20)} MiB` : sizeText(limit);
}

export function recordTooLarge(chars: number, line: number, limit = MAX_RECORD_CHARS): string {
  return `record of ${sizeText(chars)} at line ${line} exceeds the ${limitText(limit)} record limit; skipped`;
}
