import { useMemo } from "react";
import { FAMILY_LABELS, phaseFamily, type PhaseFamily } from "../../../shared/model/phases";
import { currentData } from "../app/current";
import { useApp } from "../app/store";
import { spanNameIds } from "../view/laneView";
import { useTheme } from "../app/theme";

/** The phase families present in the open dataset, with their colours. */
export function Legend() {
  const version = useApp((s) => s.dataVersion);
  const colors = useTheme((s) => s.palette.families);
  const families = useMemo(() => {
    void version;
    const seen = new Set<PhaseFamily>();
    for (const lane of currentData().lanes) {
      for (const n of spanNameIds(lane)) seen.add(phaseFamily(lane.data.strings[n]));
    }
    return [...seen];
  }, [version]);
  if (!families.length) return null;
  return (
    <div className="legend" data-testid="legend">
      {families.map((f) => (
        <span key={f} className="legend-item">
          <span className="swatch" style={{ background: colors[f] }} />
          {FAMILY_LABELS[f]}
        </span>
      ))}
      <span className="legend-item">
        <span className="swatch mem" />
        memory
      </span>
      <span className="legend-item">
        <span className="swatch open" />
        still open
      </span>
    </div>
  );
}
