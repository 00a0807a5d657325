import { openDb } from "../db/db";

/** The app's one database connection. */
export const db = openDb();
