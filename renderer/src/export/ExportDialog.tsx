import { useState } from "react";
import { currentData } from "../app/current";
import { useApp } from "../app/store";
import { Modal } from "../components/Modal";
import { host } from "../host";
import { pictureOfCurrentLoaded, toPng } from "./png";

type RangeChoice = "view" | "selection" | "all" | "notes";

/** Export PNG: range, width, pixel ratio; Save (native dialog or download) or Copy. */
export function ExportDialog({ onClose }: { onClose(): void }) {
  const selected = useApp((s) => s.range);
  const [range, setRange] = useState<RangeChoice>(selected ? "selection" : "view");
  const [width, setWidth] = useState(1600);
  const [ratio, setRatio] = useState(Math.min(2, Math.max(1, Math.round(window.devicePixelRatio || 1))));
  const [status, setStatus] = useState<string | null>(null);

  const build = async () => {
    const s = useApp.getState();
    let r = s.view;
    if (range === "all") r = s.bounds;
    if (range === "selection" && s.range) r = s.range;
    if (range === "notes" && s.annotations.length) {
      const lo = Math.min(...s.annotations.map((a) => a.start));
      const hi = Math.max(...s.annotations.map((a) => a.end));
      const pad = Math.max((hi - lo) * 0.1, (s.view.end - s.view.start) * 0.02);
      r = { start: lo - pad, end: hi + pad };
    }
    const canvas = await pictureOfCurrentLoaded(s, currentData(), r, width, ratio);
    return { bytes: await toPng(canvas), name: `${s.current!.name.replace(/[^\w.-]+/g, "_")}.png` };
  };
  const run = async (action: "save" | "copy") => {
    setStatus("Drawing…");
    try {
      const { bytes, name } = await build();
      if (action === "save") {
        const path = await host.savePng(bytes, name);
        setStatus(path ? `Saved ${path}` : "Not saved.");
      } else {
        await host.copyPng(bytes);
        setStatus("Copied to the clipboard.");
      }
    } catch (e) {
      setStatus(`Could not export: ${(e as Error).message}`);
    }
  };
  return (
    <Modal label="Export PNG" testId="export-dialog" onClose={onClose}>
      <h3>Export PNG</h3>
      <label>
        Range{" "}
        <select
          value={range}
          onChange={(e) => setRange(e.currentTarget.value as RangeChoice)}
          data-testid="export-range"
        >
          <option value="view">the current view</option>
          {selected && <option value="selection">the selected range</option>}
          <option value="all">the whole run</option>
          <option value="notes">around the notes</option>
        </select>
      </label>
      <label>
        Width (px){" "}
        <input
          type="number"
          min={480}
          max={8000}
          value={width}
          onChange={(e) => setWidth(Number(e.currentTarget.value) || 1600)}
          data-testid="export-width"
        />
      </label>
      <label>
        Pixel ratio{" "}
        <select
          value={ratio}
          onChange={(e) => setRatio(Number(e.currentTarget.value))}
          data-testid="export-ratio"
        >
          <option value={1}>1×</option>
          <option value={2}>2×</option>
          <option value={3}>3×</option>
        </select>
      </label>
      <div className="modal-actions">
        <button onClick={() => void run("save")} data-testid="export-save">
          {host.kind === "web" ? "Download" : "Save As…"}
        </button>
        <button onClick={() => void run("copy")}>Copy</button>
        <button onClick={onClose}>Close</button>
      </div>
      {status && <div className="dim">{status}</div>}
    </Modal>
  );
}
