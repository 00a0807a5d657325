import type { DirectoryFormat, Format } from "../types";

export const chromeFormats: Format[] = [];
export const chromeDirectoryFormats: DirectoryFormat[] = [];
