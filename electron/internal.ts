/**
 * Channels between the preload and main that the renderer never sees. They are not in the
 * IPC contract on purpose: the contract is what page code may call, and page code must not
 * be able to grant itself paths.
 */
export const INTERNAL = {
  /** The preload saw a trusted drop (or file-input pick) and reports the files' paths. */
  registerDropped: "paths:register-dropped",
} as const;
