import type { DirectoryFormat, Format } from "../types";

export const omnirtFormats: Format[] = [];
export const omnirtDirectoryFormats: DirectoryFormat[] = [];
