/**
 * A JPEG camera image to something a canvas draws, decoded off the worker's own thread by the
 * browser's image decoder: WebCodecs' ImageDecoder where the browser has it (a VideoFrame),
 * createImageBitmap otherwise.
 */
export type DecodedImage = ImageBitmap | VideoFrame;

export async function decodeJpeg(bytes: Uint8Array<ArrayBuffer>): Promise<DecodedImage> {
  if (typeof ImageDecoder === 'function') {
    const decoder = new ImageDecoder({ data: bytes, type: 'image/jpeg' });
    try {
      return (await decoder.decode()).image;
    } finally {
      decoder.close();
    }
  }
  return createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
}

export function imageSize(image: DecodedImage): { width: number; height: number } {
  return 'displayWidth' in image ? { width: image.displayWidth, height: image.displayHeight } : { width: image.width, height: image.height };
}
