/** Server-sent events as saved from a stream: `event:`/`data:` blocks, `:` comments. */
export interface SseBlock {
  event: string | null;
  data: string;
  /** Line the block starts on. */
  line: number;
}

/** Feeds lines, emits blocks at blank lines (and at the end); multi-line data joins with "\n". */
export class SseParser {
  private event: string | null = null;
  private data: string[] = [];
  private start = 0;

  constructor(private readonly onBlock: (b: SseBlock) => void) {}

  line(text: string, number: number): void {
    if (text === "") return this.flush();
    if (text.startsWith(":")) return;
    if (!this.start) this.start = number;
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
  }

  flush(): void {
    if (this.data.length || this.event)
      this.onBlock({ event: this.event, data: this.data.join("\n"), line: this.start });
    this.event = null;
    this.data = [];
    this.start = 0;
  }
}

/** Whether text looks like a saved SSE stream whose data blocks contain `needle` keys. */
export function looksLikeSse(text: string, ...needles: string[]): boolean {
  if (!/^(?:event|data|:)[^\n]*\n/m.test(text.trimStart().slice(0, 200))) return false;
  if (!/^data:\s*\{/m.test(text)) return false;
  return needles.every((n) => text.includes(`"${n}"`));
}
