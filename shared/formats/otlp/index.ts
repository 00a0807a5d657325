import type { DirectoryFormat, Format } from "../types";

export const otlpFormats: Format[] = [];
export const otlpDirectoryFormats: DirectoryFormat[] = [];
