/** CARLA 0.8 semantic segmentation tags (spec §6.3), written into the R byte. */
export const Tag = {
  None: 0, Buildings: 1, Fences: 2, Other: 3, Pedestrians: 4, Poles: 5, RoadLines: 6,
  Roads: 7, Sidewalks: 8, Vegetation: 9, Vehicles: 10, Walls: 11, TrafficSigns: 12,
} as const;
export type Tag = (typeof Tag)[keyof typeof Tag];
