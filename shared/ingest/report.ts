import type { Diagnostic, FileReport, FormatId } from "../model/types";

const MAX_ERRORS = 200;

/**
 * A thrown value as a reason a user can act on. Anything may be thrown (even undefined),
 * and V8's words for its two limits say little about the file.
 */
export function errorText(e: unknown): string {
  let message: string;
  try {
    message = e instanceof Error ? String(e.message) : String(e);
  } catch {
    message = "";
  }
  if (e instanceof RangeError && /call stack/i.test(message))
    return `values nested too deeply to read (${message})`;
  if (e instanceof RangeError && /string length/i.test(message))
    return `a value too large for one JavaScript string (${message})`;
  return message || (e instanceof Error ? e.name : "unknown error");
}
const MAX_WARNINGS = 100;

/** Collects what happened to one input; caps the lists so a broken file cannot flood the UI. */
export class FileReportBuilder {
  records = 0;
  private readonly errors: Diagnostic[] = [];
  private readonly warnings: string[] = [];
  private droppedErrors = 0;
  private droppedWarnings = 0;
  private readonly warnedOnce = new Set<string>();

  constructor(
    readonly path: string,
    public format: FormatId,
    readonly bytes: number,
  ) {}

  error(line: number | undefined, message: string): void {
    if (this.errors.length >= MAX_ERRORS) {
      this.droppedErrors++;
      return;
    }
    this.errors.push(line ? { line, message } : { message });
  }

  warn(message: string): void {
    if (this.warnings.length >= MAX_WARNINGS) {
      this.droppedWarnings++;
      return;
    }
    this.warnings.push(message);
  }

  /** A warning that says the same thing for many records is given once, with its first line. */
  warnOnce(key: string, message: string): void {
    if (this.warnedOnce.has(key)) return;
    this.warnedOnce.add(key);
    this.warn(message);
  }

  get errorCount(): number {
    return this.errors.length + this.droppedErrors;
  }

  build(): FileReport {
    const errors = [...this.errors];
    if (this.droppedErrors) errors.push({ message: `… and ${this.droppedErrors} more errors` });
    const warnings = [...this.warnings];
    if (this.droppedWarnings) warnings.push(`… and ${this.droppedWarnings} more warnings`);
    return {
      path: this.path,
      format: this.format,
      bytes: this.bytes,
      records: this.records,
      errors,
      warnings,
    };
  }
}

/**
 * Something a folder walk found but did not read: an error when it could not (permissions,
 * a vanished folder), a warning when it chose not to (`skipped`: a FIFO, a device, a link
 * leaving the folders the user gave, a link loop).
 */
export interface NotRead {
  path: string;
  message: string;
  skipped?: boolean;
}

/** The file report the user sees for something the walk did not read. */
export function notReadReport(n: NotRead): FileReport {
  return {
    path: n.path,
    format: "unknown",
    bytes: 0,
    records: 0,
    errors: n.skipped ? [] : [{ message: n.message }],
    warnings: n.skipped ? [n.message] : [],
  };
}
