// How big a photo leaves the phone: a long side of about 1,600 px is plenty for HQ and keeps a report with four
// photos within what a weak 3G link carries in a minute or two.
export const longSidePx = 1600;
export const jpegQuality = 0.82;
/** The preview kept in the outbox beside the photo: small enough to draw many at once. */
export const previewLongSidePx = 240;

/** The size to draw an image of width × height at: never larger than it is, the long side at most `longSide`. */
export function shrunkSize(width: number, height: number, longSide = longSidePx): { width: number; height: number } {
  if (width <= 0 || height <= 0) throw new RangeError(`no image size: ${width}×${height}`);
  const scale = Math.min(1, longSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
