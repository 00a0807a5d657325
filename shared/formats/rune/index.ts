import type { DirectoryFormat, Format } from "../types";

export const runeFormats: Format[] = [];
export const runeDirectoryFormats: DirectoryFormat[] = [];
