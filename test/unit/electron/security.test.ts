import { describe, expect, it, vi } from "vitest";
import { resolveAppFile } from "../../../electron/appProtocol";
import {
  AppOrigins,
  contentSecurityPolicy,
  denyPermissions,
  hardenContents,
  installCsp,
} from "../../../electron/security";
import { electron, FakeWebContents, receiveHeaders, session } from "./electronMock";

vi.mock("electron", async () => (await import("./electronMock")).electron);

const STRICT =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

describe("Content-Security-Policy", () => {
  it("is strict for the packaged app: no inline or eval'd script, no remote connections", () => {
    expect(contentSecurityPolicy()).toBe(STRICT);
  });

  it("lets the dev server's inline preamble and hot-reload socket through, only in development", () => {
    const csp = contentSecurityPolicy("http://localhost:5173");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self' ws://localhost:5173");
  });

  it("is set on the app's pages, replacing whatever CSP the response had", () => {
    installCsp(session.defaultSession as never, new AppOrigins(null), STRICT);
    const r = receiveHeaders("app://rankscope/index.html", {
      "content-type": ["text/html"],
      "Content-Security-Policy": ["default-src *"],
    });
    expect(r.responseHeaders).toEqual({ "content-type": ["text/html"], "Content-Security-Policy": [STRICT] });
  });

  it("leaves other responses alone", () => {
    installCsp(session.defaultSession as never, new AppOrigins(null), STRICT);
    expect(receiveHeaders("https://example.com/", { a: ["b"] })).toEqual({});
  });
});

describe("app origins", () => {
  it("knows the app's pages from anything else", () => {
    const origins = new AppOrigins(null);
    expect(origins.isApp("app://rankscope/index.html?demo")).toBe(true);
    expect(origins.isApp("app://evil/index.html")).toBe(false);
    expect(origins.isApp("file:///etc/passwd")).toBe(false);
    expect(origins.isApp("http://localhost:5173/")).toBe(false);
    expect(origins.isApp("not a url")).toBe(false);
    expect(new AppOrigins("http://localhost:5173").isApp("http://localhost:5173/src/main.tsx")).toBe(true);
  });
});

describe("a hardened webContents", () => {
  const setup = () => {
    const contents = new FakeWebContents();
    hardenContents(contents as never, new AppOrigins(null));
    return contents;
  };

  it("denies every window.open and hands nothing to the system browser", () => {
    const contents = setup();
    for (const url of ["https://example.com/", "file:///etc/passwd", "ms-msdt:/id", "app://rankscope/x"])
      expect(contents.openHandler!({ url })).toEqual({ action: "deny" });
    expect(contents.fire("will-navigate", "https://evil.example/")).toBe(true);
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it("blocks navigation away from the app and lets in-app navigation (reload) happen", () => {
    const contents = setup();
    expect(contents.fire("will-navigate", "https://evil.example/")).toBe(true);
    expect(contents.fire("will-navigate", "file:///home/ana/.ssh/id_rsa")).toBe(true);
    expect(contents.fire("will-navigate", "app://rankscope/index.html")).toBe(false);
  });

  it("blocks redirects elsewhere, and every <webview>", () => {
    const contents = setup();
    expect(contents.fire("will-redirect", "https://evil.example/")).toBe(true);
    expect(contents.fire("will-redirect", "app://rankscope/index.html")).toBe(false);
    expect(contents.fire("will-attach-webview", {}, {})).toBe(true);
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it("denies every permission request and check", () => {
    denyPermissions(session.defaultSession as never);
    const request = session.defaultSession.setPermissionRequestHandler.mock.calls[0][0] as (
      ...a: unknown[]
    ) => void;
    const cb = vi.fn();
    request({}, "media", cb);
    request({}, "notifications", cb);
    expect(cb.mock.calls).toEqual([[false], [false]]);
    const check = session.defaultSession.setPermissionCheckHandler.mock.calls[0][0] as (
      ...a: unknown[]
    ) => boolean;
    expect(check({}, "clipboard-read")).toBe(false);
  });
});

describe("the app:// scheme", () => {
  it("serves files under the renderer folder only", () => {
    const root = "/opt/rankscope/dist/renderer";
    expect(resolveAppFile(root, "app://rankscope/")).toBe(`${root}/index.html`);
    expect(resolveAppFile(root, "app://rankscope/assets/index.js?x=1")).toBe(`${root}/assets/index.js`);
    // Climbing out, plainly or encoded, ends inside root (URL parsing drops the ..) or nowhere.
    for (const hostile of [
      "app://rankscope/../../../etc/passwd",
      "app://rankscope/%2e%2e/%2e%2e/etc/passwd",
      "app://rankscope/assets%2f..%2f..%2f..%2fsecret",
      "app://rankscope/..%5c..%5c..%5csecret",
    ]) {
      const file = resolveAppFile(root, hostile);
      if (file !== null) expect(file.startsWith(`${root}/`)).toBe(true);
    }
    expect(resolveAppFile(root, "app://rankscope/assets%2f..%2f..%2f..%2fsecret")).toBeNull();
    expect(resolveAppFile(root, "app://other/index.html")).toBeNull();
    expect(resolveAppFile(root, "file:///etc/passwd")).toBeNull();
  });

  it("is registered as a privileged standard scheme", async () => {
    const { registerAppScheme } = await import("../../../electron/appProtocol");
    registerAppScheme();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({
        scheme: "app",
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
  });
});
