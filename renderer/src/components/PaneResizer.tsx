import { useEffect, useRef, useState } from "react";

/**
 * A drag handle that sets a pane's width (a CSS variable on the document, kept across
 * sessions). `edge`: which side of the pane the handle sits on, so dragging away widens it.
 */
export function PaneResizer({
  cssVar,
  edge,
  min,
  max,
  label,
}: {
  cssVar: string;
  edge: "right" | "left";
  min: number;
  max: number;
  label: string;
}) {
  const [dragging, setDragging] = useState(false);
  const start = useRef<{ x: number; width: number } | null>(null);
  useEffect(() => {
    const saved = Number(localStorage.getItem(`rankscope:${cssVar}`));
    if (saved >= min && saved <= max) document.documentElement.style.setProperty(cssVar, `${saved}px`);
  }, [cssVar, min, max]);
  const current = () =>
    parseFloat(getComputedStyle(document.documentElement).getPropertyValue(cssVar)) ||
    (edge === "right" ? 300 : 360);
  const set = (w: number) => {
    const width = Math.round(Math.min(max, Math.max(min, w)));
    document.documentElement.style.setProperty(cssVar, `${width}px`);
    localStorage.setItem(`rankscope:${cssVar}`, String(width));
    // The timeline measures itself on resize; nothing else needs telling.
  };
  return (
    <div
      className={`pane-resizer ${dragging ? "dragging" : ""}`}
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      title={`${label} (drag; double-click resets)`}
      tabIndex={0}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { x: e.clientX, width: current() };
        setDragging(true);
      }}
      onPointerMove={(e) => {
        const s = start.current;
        if (!s) return;
        const dx = e.clientX - s.x;
        set(s.width + (edge === "right" ? dx : -dx));
      }}
      onPointerUp={() => {
        start.current = null;
        setDragging(false);
      }}
      onDoubleClick={() => {
        document.documentElement.style.removeProperty(cssVar);
        localStorage.removeItem(`rankscope:${cssVar}`);
      }}
      onKeyDown={(e) => {
        if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
          const grow = (e.key === "ArrowRight") === (edge === "right");
          set(current() + (grow ? 20 : -20));
          e.preventDefault();
        }
      }}
    />
  );
}
