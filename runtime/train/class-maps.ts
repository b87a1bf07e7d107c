/** Class maps from network outputs and masks, shared by the report's figures and the playground. No Node. */

/** Per pixel the class with the largest score, or for one channel the score against `threshold`. */
export function argmaxMap(scores: ArrayLike<number>, channels: number, threshold: number): Uint8Array {
  const pixels = scores.length / channels;
  const out = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) {
    if (channels === 1) {
      out[p] = scores[p]! > threshold ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < channels; c++) if (scores[p * channels + c]! > scores[p * channels + best]!) best = c;
    out[p] = best;
  }
  return out;
}

/** The middle h×w of a height×width mask (a valid-padded network's output window). */
export function centreCrop(mask: ArrayLike<number>, height: number, width: number, h: number, w: number): Uint8Array {
  const top = Math.floor((height - h) / 2);
  const left = Math.floor((width - w) / 2);
  return Uint8Array.from({ length: h * w }, (_, i) => mask[(top + Math.floor(i / w)) * width + left + (i % w)]!);
}
