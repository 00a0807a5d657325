// The Node entry point bundled by bin/rankscope.mjs: the CLI and web mode's server.
export { main, parseOpenArgs, UsageError } from "./cli";
export { AttachError, liveProxyHandler, resolveTarget } from "../web/attach";
export { serveWeb } from "../web/webServer";
export { downloadElectron, electronState, hasDisplay, planLaunch } from "./desktop";
