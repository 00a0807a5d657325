import { GESTURES, KEYMAP, keyLabel, type KeyGroup } from "../app/keymap";
import { useApp } from "../app/store";
import { Modal } from "./Modal";

const GROUPS: KeyGroup[] = ["Move", "Select and mark", "Notes and export", "View"];

/** `?`: every key of the keymap and every mouse gesture, listed from the keymap itself. */
export function HelpOverlay() {
  const open = useApp((s) => s.overlay === "help");
  if (!open) return null;
  const close = () => useApp.getState().setOverlay(null);
  return (
    <Modal label="Keyboard shortcuts and gestures" testId="help" className="help" onClose={close}>
      <h3>Keyboard shortcuts</h3>
      <div className="help-columns">
        {GROUPS.map((g) => (
          <section key={g}>
            <h4>{g}</h4>
            <dl>
              {KEYMAP.filter((b) => b.group === g).map((b) => (
                <div key={b.id} className="help-row" data-testid="help-key" data-binding={b.id}>
                  <dt>
                    {b.keys.map((k) => (
                      <kbd key={k} data-key={k}>
                        {keyLabel(k)}
                      </kbd>
                    ))}
                  </dt>
                  <dd>{b.label}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <section>
          <h4>Mouse and trackpad</h4>
          <dl>
            {GESTURES.map((g) => (
              <div key={g.gesture} className="help-row" data-testid="help-gesture">
                <dt>{g.gesture}</dt>
                <dd>{g.label}</dd>
              </div>
            ))}
          </dl>
        </section>
      </div>
      <div className="modal-actions">
        <button onClick={close}>Close (Esc)</button>
      </div>
    </Modal>
  );
}
