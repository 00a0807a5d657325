import type { DirectoryFormat, Format, Head } from "./types";
import { chromeDirectoryFormats, chromeFormats } from "./chrome";
import { omnirtDirectoryFormats, omnirtFormats } from "./omnirt";
import { otlpDirectoryFormats, otlpFormats } from "./otlp";
import { prometheusDirectoryFormats, prometheusFormats } from "./prometheus";
import { runeDirectoryFormats, runeFormats } from "./rune";
import { skulkFormats } from "./skulk";
import { stormlogDirectoryFormats, stormlogFormats } from "./stormlog";

/** Every file format: detection picks the most confident. */
export const FORMATS: Format[] = [
  ...skulkFormats,
  ...stormlogFormats,
  ...omnirtFormats,
  ...otlpFormats,
  ...prometheusFormats,
  ...runeFormats,
  ...chromeFormats,
];

/** Formats whose unit is a directory; they claim files before per-file detection. */
export const DIRECTORY_FORMATS: DirectoryFormat[] = [
  ...stormlogDirectoryFormats,
  ...omnirtDirectoryFormats,
  ...otlpDirectoryFormats,
  ...prometheusDirectoryFormats,
  ...runeDirectoryFormats,
  ...chromeDirectoryFormats,
];

export const MIN_CONFIDENCE = 0.5;

export interface Detection {
  format: Format | null;
  confidence: number;
}

export function detectFormat(head: Head, formats: Format[] = FORMATS): Detection {
  let best: Format | null = null;
  let bestScore = 0;
  for (const f of formats) {
    let score = 0;
    try {
      score = f.detect(head);
    } catch {
      score = 0;
    }
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  if (best && bestScore >= MIN_CONFIDENCE) return { format: best, confidence: bestScore };
  return { format: null, confidence: bestScore };
}
