import { useShallow } from "zustand/react/shallow";
import { useTheme } from "../app/theme";
import { nextChoice, type ThemeChoice } from "../view/theme";

const GLYPH: Record<ThemeChoice, string> = { system: "◐", light: "☀", dark: "☾" };
const NAME: Record<ThemeChoice, string> = { system: "System", light: "Light", dark: "Dark" };

/** Cycles the theme: system → light → dark; the choice is kept across restarts. */
export function ThemeToggle() {
  const { choice, name, cycle } = useTheme(
    useShallow((s) => ({ choice: s.choice, name: s.name, cycle: s.cycle })),
  );
  const now = choice === "system" ? `system (${name} now)` : choice;
  return (
    <button
      className="theme-toggle"
      onClick={cycle}
      title={`Theme: ${now}. Click for ${nextChoice(choice)}.`}
      aria-label={`Theme: ${now}`}
      data-testid="theme-toggle"
      data-choice={choice}
    >
      {GLYPH[choice]} {NAME[choice]}
    </button>
  );
}
