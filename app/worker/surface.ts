/**
 * One OffscreenCanvas and the buffers that feed it. Pixels arrive at odd offsets inside a
 * WebSocket message (a tag byte, then a header), so they are first copied into an aligned
 * buffer to be read a word at a time; both buffers are reused for as long as the size holds.
 */
import { cameraToRgba, type CameraView } from '../stream/index.ts';

export class Surface {
  private readonly ctx: OffscreenCanvasRenderingContext2D;
  private image: ImageData | null = null;
  private rgba = new Uint32Array(0);
  private aligned = new Uint32Array(0);

  constructor(private readonly canvas: OffscreenCanvas) {
    this.ctx = canvas.getContext('2d', { alpha: false })!;
  }

  /** A decoded image (a JPEG frame), drawn as it is. */
  drawBitmap(bitmap: ImageBitmap): void {
    if (this.canvas.width !== bitmap.width || this.canvas.height !== bitmap.height) {
      this.canvas.width = bitmap.width;
      this.canvas.height = bitmap.height;
      this.image = null;
    }
    this.ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
  }

  draw(view: CameraView): void {
    const { width, height } = view;
    if (!this.image || this.image.width !== width || this.image.height !== height) {
      this.image = new ImageData(width, height);
      this.rgba = new Uint32Array(this.image.data.buffer);
      this.aligned = new Uint32Array(width * height);
      this.canvas.width = width;
      this.canvas.height = height;
    }
    let words: Uint32Array;
    if (view.pixels.byteOffset % 4 === 0) {
      words = new Uint32Array(view.pixels.buffer, view.pixels.byteOffset, width * height);
    } else {
      new Uint8Array(this.aligned.buffer).set(view.pixels);
      words = this.aligned;
    }
    cameraToRgba(view.imageType, words, this.rgba);
    this.ctx.putImageData(this.image, 0, 0);
  }
}
