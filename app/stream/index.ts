/** The stream worker's pure parts (the worker itself is started by the bridge). */
export { bgraToRgba, cameraToRgba, depthToGrey, segmentationToPalette, SEGMENTATION_COLOURS } from './pixels.ts';
export { CarlaFrames, MAX_IMAGE_SIDE, type CameraRole, type CameraView, type PlayerState } from './carla-frames.ts';
export { LinkStats, frameAgeMs } from './link-stats.ts';
export { HUD_INTERVAL_MS, HudFeed, WARNING_MS } from './hud-feed.ts';
export { JPEG_STEPS, QUALITY_RULES, QualityGovernor, START_QUALITY, type LinkSecond } from './jpeg-quality.ts';
export { FRAME_GAP_MS, Outage, outageWords, type OutageView } from './outage.ts';
export { BEHIND_BELOW, WorldPace } from './world-pace.ts';
