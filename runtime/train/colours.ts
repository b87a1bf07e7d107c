/** Pixels as RGBA bytes for looking at (report PNGs, the playground's canvases): no encoder, no Node. */

/** Distinct colours for class masks: background black, then white, red, green, blue, … */
export const CLASS_COLOURS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0], [255, 255, 255], [228, 26, 28], [77, 175, 74], [55, 126, 184], [255, 127, 0], [152, 78, 163], [255, 255, 51],
];

/** A class-index mask as colours (for looking at), one RGBA pixel per entry. */
export function maskColours(mask: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(mask.length * 4);
  for (let i = 0; i < mask.length; i++) {
    const colour = CLASS_COLOURS[mask[i]! % CLASS_COLOURS.length]!;
    out.set([...colour, 255], 4 * i);
  }
  return out;
}

/** An image in [0, 1] with 1 or 3 channels (HWC) as RGBA bytes. */
export function imageColours(pixels: ArrayLike<number>, channels: number): Uint8Array {
  const count = pixels.length / channels;
  const out = new Uint8Array(count * 4);
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round(v * 255)));
  for (let i = 0; i < count; i++) {
    const rgb = channels >= 3 ? [pixels[i * channels]!, pixels[i * channels + 1]!, pixels[i * channels + 2]!] : [pixels[i * channels]!, pixels[i * channels]!, pixels[i * channels]!];
    out.set([...rgb.map(byte), 255], 4 * i);
  }
  return out;
}
