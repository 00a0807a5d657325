import { useEffect, useState } from "react";
import { importFiles, importPaths } from "../app/actions";
import { host } from "../host";
import { filesFromDataTransfer } from "../ingest/dropWalk";

/** The whole window accepts dropped folders and files. */
export function DropTarget() {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes("Files")) return;
      depth++;
      setOver(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (!depth) setOver(false);
    };
    const overFn = (e: DragEvent) => {
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
    };
    const drop = async (e: DragEvent) => {
      e.preventDefault();
      depth = 0;
      setOver(false);
      const dt = e.dataTransfer;
      if (!dt) return;
      if (host.kind === "electron" && host.ingestPaths) {
        // Main walks folders itself: hand it the dropped top-level paths.
        const paths = Array.from(dt.files)
          .map((f) => window.rankscope?.pathForFile(f) ?? "")
          .filter(Boolean);
        if (paths.length) return void importPaths(paths);
      }
      const { files, notRead } = await filesFromDataTransfer(dt);
      await importFiles(files, notRead);
    };
    window.addEventListener("dragenter", enter);
    window.addEventListener("dragleave", leave);
    window.addEventListener("dragover", overFn);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragenter", enter);
      window.removeEventListener("dragleave", leave);
      window.removeEventListener("dragover", overFn);
      window.removeEventListener("drop", drop);
    };
  }, []);
  return over ? <div className="drop-overlay">Drop log folders to import them</div> : null;
}
