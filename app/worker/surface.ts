/**
 * One OffscreenCanvas and the buffers that feed it. Pixels arrive at odd offsets inside a
 * WebSocket message (a tag byte, then a header), so they are first copied into an aligned
 * buffer to be read a word at a time; both buffers are reused for as long as the size holds.
 */
import { cameraToRgba, type CameraView } from '../stream/index.ts';
import { decodeJpeg, imageSize } from './jpeg-decode.ts';

export class Surface {
  private readonly ctx: OffscreenCanvasRenderingContext2D;
  private image: ImageData | null = null;
  private rgba = new Uint32Array(0);
  private aligned = new Uint32Array(0);

  constructor(private readonly canvas: OffscreenCanvas) {
    this.ctx = canvas.getContext('2d', { alpha: false })!;
  }

  /** JPEG frames begun and the newest one drawn: a frame decoded after a newer one is not drawn. */
  private begun = 0;
  private shown = 0;

  /**
   * Decodes a JPEG frame and draws it; resolves with the time each took, ms, or null when a
   * newer frame was drawn first. Rejects if the bytes do not decode.
   */
  async drawJpeg(bytes: Uint8Array<ArrayBuffer>): Promise<{ decodeMs: number; drawMs: number } | null> {
    const mine = ++this.begun;
    const t0 = performance.now();
    const image = await decodeJpeg(bytes);
    const t1 = performance.now();
    if (mine < this.shown) { image.close(); return null; }
    this.shown = mine;
    const { width, height } = imageSize(image);
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
      this.image = null;
    }
    this.ctx.drawImage(image, 0, 0);
    image.close();
    return { decodeMs: t1 - t0, drawMs: performance.now() - t1 };
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
