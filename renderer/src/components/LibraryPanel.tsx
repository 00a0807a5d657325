import { useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { deleteDataset, openDataset, renameDataset } from "../app/actions";
import { useApp } from "../app/store";
import { host } from "../host";

/** The desktop app has File → Open Recent; in a browser this list is the way back. */
function RecentHint() {
  if (host.kind === "electron") return null;
  return (
    <p className="library-hint" data-testid="library-hint">
      Web mode has no File → Open Recent: reopen recent folders and files here.
    </p>
  );
}

/** Every import kept in IndexedDB: reopen without re-parsing, rename, delete. */
export function LibraryPanel() {
  const { datasets, current } = useApp(useShallow((s) => ({ datasets: s.datasets, current: s.current })));
  const [editing, setEditing] = useState<string | null>(null);
  if (!datasets.length)
    return (
      <div className="panel-empty">
        Imports are kept here across restarts.
        <RecentHint />
      </div>
    );
  return (
    <>
      <RecentHint />
      <ul className="library" data-testid="library">
        {datasets.map((d) => (
          <li key={d.id} className={d.id === current?.id ? "active" : ""}>
            {editing === d.id ? (
              <input
                autoFocus
                defaultValue={d.name}
                aria-label="Dataset name"
                onKeyDown={(e) => {
                  if (e.key === "Enter")
                    void renameDataset(d.id, e.currentTarget.value.trim() || d.name).then(() =>
                      setEditing(null),
                    );
                  if (e.key === "Escape") setEditing(null);
                }}
                onBlur={(e) =>
                  void renameDataset(d.id, e.currentTarget.value.trim() || d.name).then(() =>
                    setEditing(null),
                  )
                }
              />
            ) : (
              <button className="link" onClick={() => void openDataset(d.id)} title="Open">
                {d.name}
              </button>
            )}
            <div className="library-meta">
              {d.laneCount} lanes · {(d.spanCount + d.markerCount + d.sampleCount).toLocaleString()} items ·{" "}
              {new Date(d.createdAt).toLocaleString()}
            </div>
            <div className="library-actions">
              <button onClick={() => setEditing(d.id)}>Rename</button>
              <button
                onClick={() => {
                  if (confirm(`Delete “${d.name}” from the library? The files on disk are not touched.`))
                    void deleteDataset(d.id);
                }}
              >
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
