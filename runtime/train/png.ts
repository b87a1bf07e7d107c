import { PNG } from 'pngjs';

export { CLASS_COLOURS, imageColours, maskColours } from './colours.js';

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
