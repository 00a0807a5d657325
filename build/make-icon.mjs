// Draws build/icon.png (512x512): six rank lanes with phase bands, one stuck band in red,
// the app's view of a run that hangs. Run: node build/make-icon.mjs
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";

const SIZE = 512;
const png = new PNG({ width: SIZE, height: SIZE });
const set = (x, y, [r, g, b, a = 255]) => {
  const i = (y * SIZE + x) * 4;
  png.data[i] = r;
  png.data[i + 1] = g;
  png.data[i + 2] = b;
  png.data[i + 3] = a;
};

// A rounded square background, transparent outside the corners.
const R = 96;
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    const cx = Math.min(Math.max(x, R), SIZE - 1 - R);
    const cy = Math.min(Math.max(y, R), SIZE - 1 - R);
    const inside = (x - cx) ** 2 + (y - cy) ** 2 <= R * R;
    set(x, y, inside ? [24, 27, 34] : [0, 0, 0, 0]);
  }
}

const rect = (x0, y0, w, h, color) => {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) set(x, y, color);
};

const colors = [
  [86, 156, 214],
  [78, 201, 176],
  [220, 180, 90],
  [150, 120, 220],
];
const stuck = [230, 80, 80];
const lanes = 6;
const top = 86;
const laneH = 44;
const gap = 14;
for (let l = 0; l < lanes; l++) {
  const y = top + l * (laneH + gap);
  let x = 72;
  // Deterministic band widths per lane so the icon is reproducible.
  const widths = [60 + ((l * 37) % 50), 48 + ((l * 23) % 40), 70 + ((l * 53) % 30)];
  widths.forEach((w, i) => {
    rect(x, y, w, laneH, colors[(i + l) % colors.length]);
    x += w + 6;
  });
  const end = l === 2 ? SIZE - 72 : x + 40 + ((l * 29) % 40);
  rect(x, y, end - x, laneH, l === 2 ? stuck : colors[(l + 3) % colors.length]);
}
// A time cursor.
rect(392, 64, 4, SIZE - 128, [235, 235, 240]);

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), "icon.png");
writeFileSync(out, PNG.sync.write(png));
console.log(`wrote ${out}`);
