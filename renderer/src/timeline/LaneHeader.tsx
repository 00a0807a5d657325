import { formatDuration } from "../../../shared/model/time";
import type { LaneView } from "./laneView";

/** Who the lane is: node, rank/world size, layers, and whether it is stuck. */
export function LaneHeader({
  lane,
  selected,
  onSelect,
}: {
  lane: LaneView;
  selected: boolean;
  onSelect(): void;
}) {
  const info = lane.data.info;
  const rank =
    info.rank != null ? `rank ${info.rank}${info.worldSize != null ? `/${info.worldSize}` : ""}` : null;
  const layers = info.layers
    ? `layers ${info.layers.start}–${info.layers.end} of ${info.layers.total}`
    : null;
  const dead = info.state?.processAlive === false;
  const title = [
    info.label,
    info.runnerId && `runner ${info.runnerId}`,
    info.modelId,
    info.pid != null && `pid ${info.pid}`,
    info.device,
  ]
    .filter(Boolean)
    .join("\n");
  return (
    <div
      className={`lane-header${selected ? " selected" : ""}`}
      title={title}
      onClick={onSelect}
      data-lane={info.id}
    >
      <div className="lane-line1">
        <span className="lane-node">{info.node ?? info.label}</span>
        {rank && <span className="lane-rank">{rank}</span>}
        {lane.errorCount > 0 && (
          <span className="badge badge-error" title="errors, exceptions and crashes">
            {lane.errorCount} ⚠
          </span>
        )}
        {dead && <span className="badge badge-error">process dead</span>}
      </div>
      <div className="lane-line2">
        {layers && <span className="lane-layers">{layers}</span>}
        {!layers && info.device && <span className="lane-layers">{info.device}</span>}
        {lane.open && (
          <span
            className="badge badge-open"
            data-testid="open-phase"
            title={`Still in ${lane.open.name} at the end of the data`}
          >
            open: {lane.open.name} {formatDuration(lane.open.end - lane.open.start)}
          </span>
        )}
      </div>
    </div>
  );
}
