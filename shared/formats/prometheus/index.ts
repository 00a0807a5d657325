import type { DirectoryFormat, Format } from "../types";

export const prometheusFormats: Format[] = [];
export const prometheusDirectoryFormats: DirectoryFormat[] = [];
