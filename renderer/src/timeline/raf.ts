/** Coalesces redraw requests into one per animation frame. */
export class RafScheduler {
  private pending = 0;

  constructor(private readonly draw: () => void) {}

  schedule(): void {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.draw();
    });
  }

  dispose(): void {
    if (this.pending) cancelAnimationFrame(this.pending);
    this.pending = 0;
  }
}
