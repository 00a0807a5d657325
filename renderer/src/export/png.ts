import { nodeLabels } from "../../../shared/model/nodeNames";
import { FAMILY_LABELS, phaseFamily, type PhaseFamily } from "../../../shared/model/phases";
import { formatDuration } from "../../../shared/model/time";
import type { AnnotationRow, DatasetRow } from "../db/db";
import { formatInstant, formatSince } from "../view/axis";
import type { AxisClock } from "../view/runs";
import { drawAxisTicks } from "../timeline/axisDraw";
import { drawTimeline } from "../timeline/draw";
import { buildRows, GROUP_HEIGHT } from "../view/layout";
import { currentClock, tileCache, type CurrentData } from "../app/current";
import { activePalette } from "../app/theme";
import { spanNameIds, type LaneView } from "../view/laneView";
import { scopeSubject } from "../view/runs";
import type { Palette } from "../view/theme";
import { TimeScale, type View } from "../view/timeScale";

export interface PngOptions {
  dataset: DatasetRow;
  lanes: LaneView[];
  /** How the axis is labelled (wall clock, or time since start when comparing). */
  clock: AxisClock;
  /** Group headers' run tags when two runs are compared. */
  prefix?: Map<string, string> | null;
  /** What is shown, when not the whole dataset ("run …", "A … vs B …"). */
  subject?: string | null;
  annotations: AnnotationRow[];
  shifts: Record<string, number>;
  memMax: number;
  range: View;
  /** CSS pixels of the whole picture. */
  width: number;
  pixelRatio: number;
  /** The colours: the chosen theme's, as on screen. */
  palette: Palette;
}

const HEADER = 240;
const CAPTION = 46;
const LEGEND = 22;
const AXIS = 26;

/**
 * Draws an annotated picture of a time range, every lane included, with the same drawing
 * code as the screen: caption (dataset and range), legend, axis, lane headers, lanes and
 * annotations. Returns the canvas; `toPng` encodes it.
 */
export function renderPicture(o: PngOptions): HTMLCanvasElement {
  const { rows, height: lanesHeight } = buildRows(
    o.lanes.map((l) => l.data.info),
    o.prefix ?? null,
  );
  const width = Math.max(480, Math.round(o.width));
  const plot = width - HEADER;
  const height = CAPTION + LEGEND + AXIS + lanesHeight;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * o.pixelRatio);
  canvas.height = Math.round(height * o.pixelRatio);
  const ctx = canvas.getContext("2d")!;
  ctx.scale(o.pixelRatio, o.pixelRatio);
  const p = o.palette;
  ctx.fillStyle = p.bg;
  ctx.fillRect(0, 0, width, height);

  // Caption: what and when.
  ctx.fillStyle = p.text;
  ctx.font = "bold 15px system-ui, sans-serif";
  ctx.textBaseline = "top";
  ctx.fillText(`Rankscope · ${o.dataset.name}${o.subject ? ` · ${o.subject}` : ""}`, 10, 8);
  ctx.font = "12px system-ui, sans-serif";
  ctx.fillStyle = p.dim;
  const { originSec } = o.dataset;
  const span = `${formatDuration(o.range.end - o.range.start)}, ${o.lanes.length} lanes`;
  ctx.fillText(
    o.clock.kind === "wall"
      ? `${formatInstant(originSec, o.range.start)} → ${formatInstant(originSec, o.range.end)}  (${span})`
      : `${formatSince(o.range.start - o.clock.zero, 1)} → ${formatSince(o.range.end - o.clock.zero, 1)} since start  (${span})`,
    10,
    28,
  );

  // Legend of the phase families present.
  const families = new Set<PhaseFamily>();
  for (const l of o.lanes) for (const n of spanNameIds(l)) families.add(phaseFamily(l.data.strings[n]));
  let x = 10;
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  for (const f of families) {
    ctx.fillStyle = p.families[f];
    ctx.fillRect(x, CAPTION + 6, 12, 10);
    ctx.fillStyle = p.text;
    ctx.fillText(FAMILY_LABELS[f], x + 16, CAPTION + 11);
    x += 24 + ctx.measureText(FAMILY_LABELS[f]).width;
  }

  const scale = new TimeScale(o.range, plot);
  ctx.save();
  ctx.translate(HEADER, CAPTION + LEGEND);
  drawAxisTicks(ctx, scale, o.clock, plot, AXIS, p);
  ctx.translate(0, AXIS);
  ctx.beginPath();
  ctx.rect(0, 0, plot, lanesHeight);
  ctx.clip();
  drawTimeline(ctx, {
    width: plot,
    height: lanesHeight,
    scale,
    rows,
    scrollTop: 0,
    lanes: o.lanes,
    memMax: o.memMax,
    cursor: null,
    pinned: null,
    selectedLane: null,
    shifts: o.shifts,
    overlays: { selection: null, taskNeedle: null, annotations: o.annotations, range: null },
    palette: p,
  });
  ctx.restore();

  // Lane headers, as on screen.
  const top = CAPTION + LEGEND + AXIS;
  const nodes = nodeLabels(o.lanes.map((l) => l.data.info));
  ctx.fillStyle = p.panel;
  ctx.fillRect(0, top, HEADER, lanesHeight);
  for (const r of rows) {
    const y = top + r.y;
    if (r.kind === "group") {
      ctx.fillStyle = p.group;
      ctx.fillRect(0, y, HEADER, GROUP_HEIGHT);
      ctx.fillStyle = p.text;
      ctx.font = "bold 12px system-ui, sans-serif";
      ctx.fillText(r.label, 8, y + GROUP_HEIGHT / 2);
      continue;
    }
    const info = o.lanes[r.lane].data.info;
    ctx.font = "bold 12px system-ui, sans-serif";
    ctx.fillStyle = p.text;
    const node = (info.node && nodes.get(info.node)?.text) || info.label;
    ctx.fillText(node, 8, y + 12);
    // Measured in the bold face it was drawn in: a long friendly name must not run into the rank.
    const nodeWidth = ctx.measureText(node).width;
    if (info.rank != null) {
      ctx.fillStyle = p.accent;
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillText(
        `rank ${info.rank}${info.worldSize != null ? `/${info.worldSize}` : ""}`,
        8 + nodeWidth + 8,
        y + 12,
      );
    }
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = p.dim;
    const open = o.lanes[r.lane].open;
    const shift = o.shifts[info.id];
    const line2 = [
      info.layers ? `layers ${info.layers.start}–${info.layers.end} of ${info.layers.total}` : info.device,
      open ? `open: ${open.name} ${formatDuration(open.end - open.start)}` : null,
      shift ? `shift ${shift > 0 ? "+" : ""}${formatDuration(shift)}` : null,
    ]
      .filter(Boolean)
      .join(" · ");
    ctx.fillText(line2, 8, y + 30);
    ctx.fillStyle = p.border;
    ctx.fillRect(0, y + r.h - 1, HEADER, 1);
  }
  ctx.fillStyle = p.border;
  ctx.fillRect(HEADER - 1, top, 1, lanesHeight);
  return canvas;
}

export async function toPng(canvas: HTMLCanvasElement): Promise<Uint8Array> {
  const blob = await new Promise<Blob | null>((ok) => canvas.toBlob(ok, "image/png"));
  if (!blob) throw new Error("the picture could not be encoded as PNG (too large?)");
  return new Uint8Array(await blob.arrayBuffer());
}

/** The picture of the open dataset (store and bulk data) over `range`. */
export function pictureOfCurrent(
  s: Pick<import("../app/store").AppState, "current" | "annotations" | "shifts" | "scope" | "clock">,
  data: CurrentData,
  range: View,
  width: number,
  pixelRatio: number,
  palette: Palette = activePalette(),
): HTMLCanvasElement {
  if (!s.current) throw new Error("no dataset is open");
  return renderPicture({
    dataset: s.current,
    lanes: data.lanes,
    clock: currentClock(s),
    prefix: data.prefix,
    subject: scopeSubject(s.scope, s.current.runs ?? []),
    // Notes are times of the dataset's axis: a comparison moves the runs, so they are left out.
    annotations: s.scope.kind === "compare" ? [] : s.annotations,
    shifts: s.shifts,
    memMax: data.memMax,
    range,
    width,
    pixelRatio,
    palette,
  });
}

/**
 * The picture once every tile it needs is in memory: a first drawing asks paged lanes for
 * their tiles of the range, the second draws them (an export is never the coarse stand-in).
 */
export async function pictureOfCurrentLoaded(
  ...args: Parameters<typeof pictureOfCurrent>
): Promise<HTMLCanvasElement> {
  const first = pictureOfCurrent(...args);
  if (!args[1].lanes.some((l) => l.paged)) return first;
  await tileCache.settled();
  return pictureOfCurrent(...args);
}
