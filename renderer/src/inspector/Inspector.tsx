import { useApp } from "../app/store";
import { Details } from "./Details";
import { Clocks } from "./Clocks";
import { Compare } from "./Compare";
import { Findings } from "./Findings";
import { Notes } from "./Notes";
import { RangeSummary } from "./RangeSummary";
import { Readout } from "./Readout";

const TABS = [
  ["readout", "Readout"],
  ["details", "Details"],
  ["range", "Range"],
  ["stragglers", "Findings"],
  ["clocks", "Clocks"],
  ["notes", "Notes"],
  ["compare", "Compare"],
] as const;

/** The right-hand panel: what is under the cursor, what was clicked, and the notes. */
export function Inspector() {
  const tab = useApp((s) => s.inspector);
  const count = useApp((s) => s.annotations.length);
  return (
    <aside className="inspector" data-testid="inspector">
      <div className="tabs">
        {TABS.map(([id, label]) => (
          <button
            key={id}
            className={tab === id ? "active" : ""}
            onClick={() => useApp.getState().setInspector(id)}
          >
            {label}
            {id === "notes" && count ? ` (${count})` : ""}
          </button>
        ))}
      </div>
      <div className="inspector-body">
        {tab === "readout" ? (
          <Readout />
        ) : tab === "details" ? (
          <Details />
        ) : tab === "range" ? (
          <RangeSummary />
        ) : tab === "stragglers" ? (
          <Findings />
        ) : tab === "clocks" ? (
          <Clocks />
        ) : tab === "compare" ? (
          <Compare />
        ) : (
          <Notes />
        )}
      </div>
    </aside>
  );
}
