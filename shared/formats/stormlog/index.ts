import type { DirectoryFormat, Format } from "../types";

export const stormlogFormats: Format[] = [];
export const stormlogDirectoryFormats: DirectoryFormat[] = [];
