// The Node entry point bundled by bin/rankscope.mjs: the CLI and web mode's server.
export { main } from "./cli";
export { serveWeb } from "./webServer";
export { downloadElectron, electronState, hasDisplay, planLaunch } from "./desktop";
