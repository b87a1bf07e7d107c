import { DATA_ERRORS, dataError } from '../../../runtime/data/codes.js';
import type { RgbaImage } from '../../../runtime/data/rgba.js';

/** Decodes a PNG or JPEG (any format the browser reads) to RGBA with the browser's own decoder. */
export async function decodeImage(file: File, path: string): Promise<RgbaImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw dataError(DATA_ERRORS.corruptFile, `${path} cannot be decoded as an image (${why || 'unreadable'}); re-export it as PNG or JPEG, or leave it out`);
  }
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return { width, height, data: context.getImageData(0, 0, width, height).data };
}
