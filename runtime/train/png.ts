import { PNG } from 'pngjs';

/** PNG encoding (pngjs) for the report's images and `gnet predict`'s masks. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const png = new PNG({ width, height });
  png.data.set(rgba);
  return new Uint8Array(PNG.sync.write(png));
}

export const pngDataUrl = (png: Uint8Array): string => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;

/** Each source pixel becomes a scale × scale block (nearest neighbour), so small images stay crisp. */
export function upscale(rgba: Uint8Array, width: number, height: number, scale: number): { rgba: Uint8Array; width: number; height: number } {
  const out = new Uint8Array(width * scale * height * scale * 4);
  for (let y = 0; y < height * scale; y++) {
    for (let x = 0; x < width * scale; x++) {
      const from = (Math.floor(y / scale) * width + Math.floor(x / scale)) * 4;
      out.set(rgba.subarray(from, from + 4), (y * width * scale + x) * 4);
    }
  }
  return { rgba: out, width: width * scale, height: height * scale };
}

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
