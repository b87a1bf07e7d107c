/** Decoded pixels as PNG decoders and canvases give them: RGBA bytes, row by row. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** Gray from RGB(A): equal channels are kept as they are, colour goes through Rec. 601 luma. */
export function toChannels(image: RgbaImage, channels: number): Uint8Array {
  const n = image.width * image.height;
  const out = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = image.data.subarray(4 * i, 4 * i + 3);
    if (channels === 3) out.set([r, g, b], 3 * i);
    else out[i] = r === g && g === b ? r : Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  return out;
}
