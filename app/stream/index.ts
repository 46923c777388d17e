/** The stream worker's pure parts (the worker itself comes with the app). */
export { bgraToRgba, depthToGrey, segmentationToPalette, SEGMENTATION_COLOURS } from './pixels.ts';
