import type { ReactNode } from "react";

/** A dialog over a dimmed window: a click outside it closes it. */
export function Modal(props: {
  label: string;
  testId: string;
  className?: string;
  onClose(): void;
  children: ReactNode;
}) {
  return (
    <div className="modal-backdrop" onClick={props.onClose}>
      <div
        className={`modal ${props.className ?? ""}`}
        role="dialog"
        aria-label={props.label}
        onClick={(e) => e.stopPropagation()}
        data-testid={props.testId}
      >
        {props.children}
      </div>
    </div>
  );
}
