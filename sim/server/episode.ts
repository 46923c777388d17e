/**
 * One episode: the rider's bike at a start spot, the traffic, the sensors the INI asked
 * for, and the clock. `step` advances the simulation by one fixed tick; `measurements` and
 * `sensorMessages` describe the result in the protocol's units (metres and m/s in 0.8,
 * Unreal's centimetres and km/h in 0.7).
 */
import { SensorType, WIRE_UNITS, type Agent, type CarlaProtocol, type Control, type Measurements, type SceneDescription, type Transform, type WireUnits } from '../../proto/index.ts';
import { autopilotControl } from '../dynamics/autopilot.ts';
import type { CameraSettings, CarlaSettings, LidarSettings } from './carla-settings.ts';
import { LANE_WIDTH, SIDEWALK_OUTER } from '../world/course.ts';
import type { MovingSprite } from '../render/renderer.ts';
import { CameraRig, Lidar, sensorId, type Mounted } from '../render/sensors.ts';
import { Traffic } from '../world/traffic.ts';
import { BIKE, clampControl, stepVehicle, type VehicleState } from '../dynamics/vehicle.ts';
import { weatherFor } from '../world/weather.ts';
import { MAP_NAME, type World } from '../world/world.ts';
import { CELL_ROW, type Stage } from './stage.ts';

export const ZERO_CONTROL: Control = { steer: 0, throttle: 0, brake: 0, handBrake: false, reverse: false };

export function mountedSensors(settings: CarlaSettings, seed: number): Mounted<CameraSettings | LidarSettings>[] {
  return settings.sensors.map((s, i) => ({ id: sensorId(s.name, i, seed), settings: s }));
}

export function describeScene(world: World, settings: CarlaSettings, protocol: CarlaProtocol, seed: number): SceneDescription {
  return {
    playerStartSpots: world.startTransforms(WIRE_UNITS[protocol].perMetre),
    // 0.7 servers described no sensors and no map name.
    sensors: protocol === '0.7' ? [] : mountedSensors(settings, seed).map((m) => ({
      id: m.id, name: m.settings.name,
      type: m.settings.kind === 'camera' ? SensorType.CAMERA : SensorType.LIDAR_RAY_CAST,
    })),
    mapName: protocol === '0.7' ? '' : MAP_NAME,
  };
}

export class Episode {
  readonly cameras: Mounted<CameraSettings>[];
  readonly lidars: Lidar[];
  readonly traffic: Traffic;
  vehicle: VehicleState;
  simTime = 0;
  collisionVehicles = 0;
  collisionPedestrians = 0;
  collisionOther = 0;
  private readonly rig: CameraRig;
  private readonly units: WireUnits;

  readonly world: World;

  constructor(
    private readonly stage: Stage,
    readonly settings: CarlaSettings,
    startIndex: number,
    readonly protocol: CarlaProtocol,
    seed: number,
  ) {
    const world = this.world = stage.world;
    const spot = world.startSpots[startIndex] ?? world.startSpots[0]!;
    const road = world.course.project(spot.x, spot.y, spot.s);
    this.vehicle = {
      x: spot.x, y: spot.y, z: spot.z, yaw: (spot.yaw * Math.PI) / 180, pitch: 0, speed: 0,
      acceleration: { x: 0, y: 0, z: 0 }, s: road.s, t: road.t,
    };
    this.traffic = new Traffic(world, settings.numberOfVehicles, settings.numberOfPedestrians, settings.seedVehicles, settings.seedPedestrians, spot.s);
    this.rig = new CameraRig(stage.renderer(weatherFor(settings.weatherId)));
    const mounted = mountedSensors(settings, seed);
    this.cameras = mounted.filter((m): m is Mounted<CameraSettings> => m.settings.kind === 'camera');
    this.lidars = mounted.filter((m): m is Mounted<LidarSettings> => m.settings.kind === 'lidar').map((m) => new Lidar(world, m));
    this.units = WIRE_UNITS[protocol];
  }

  /** Advances one tick of dt seconds under a control. */
  step(control: Control, dt: number): void {
    const c = clampControl(control);
    const v = this.vehicle;
    const node = this.world.terrain.nodeAt(v.x, v.y);
    const t = node >= 0 ? this.world.terrain.roadTOf(node) : NaN;
    const offRoad = Number.isNaN(t) || Math.abs(t) > SIDEWALK_OUTER;
    const next = stepVehicle(this.world, v, c, dt, offRoad);
    const impact = BIKE.mass * Math.abs(v.speed);
    const hit = this.collision(next);
    if (hit) {
      if (hit === 'vehicle') this.collisionVehicles += impact;
      else if (hit === 'pedestrian') this.collisionPedestrians += impact;
      else this.collisionOther += impact;
      // The bike stops where it was; the impulse is what it lost.
      this.vehicle = { ...v, speed: 0, acceleration: { x: -v.speed * Math.cos(v.yaw) / dt, y: -v.speed * Math.sin(v.yaw) / dt, z: 0 } };
    } else {
      this.vehicle = next;
    }
    this.traffic.step(dt, { s: this.vehicle.s, t: this.vehicle.t, speed: this.vehicle.speed });
    this.simTime += dt;
  }

  private collision(n: VehicleState): 'vehicle' | 'pedestrian' | 'other' | null {
    if (Math.abs(n.speed) < 1e-6 && Math.abs(this.vehicle.speed) < 1e-6) return null;
    const terrain = this.world.terrain;
    const fx = Math.cos(n.yaw) * BIKE.extent.x, fy = Math.sin(n.yaw) * BIKE.extent.x;
    for (const k of [1, 0]) {
      const node = terrain.nodeAt(n.x + fx * k, n.y + fy * k);
      if (node >= 0 && terrain.roofOf(node) > 0 && terrain.roofOf(node) > n.z + 0.5) return 'other';
    }
    const idx = this.stage.solids;
    const p = this.world.scenery;
    const cx = Math.floor(n.x / idx.cell), cy = Math.floor(n.y / idx.cell);
    for (let ox = -1; ox <= 1; ox++) {
      for (let oy = -1; oy <= 1; oy++) {
        for (const i of idx.buckets.get((cx + ox) * CELL_ROW + cy + oy) ?? []) {
          if (Math.hypot(p.x[i]! - n.x, p.y[i]! - n.y) < p.solidRadius[i]! + BIKE.extent.y) return 'other';
        }
      }
    }
    for (const car of this.traffic.cars) {
      const c = this.traffic.carPose(car);
      const dx = n.x - c.x, dy = n.y - c.y;
      if (dx * dx + dy * dy > 64) continue;
      const along = dx * Math.cos(c.yaw) + dy * Math.sin(c.yaw);
      const across = -dx * Math.sin(c.yaw) + dy * Math.cos(c.yaw);
      if (Math.abs(along) < car.length / 2 + 0.5 && Math.abs(across) < car.width / 2 + BIKE.extent.y) return 'vehicle';
    }
    for (const w of this.traffic.walkers) {
      const q = this.traffic.walkerPose(w);
      if (Math.hypot(q.x - n.x, q.y - n.y) < 0.3 + BIKE.extent.y) return 'pedestrian';
    }
    return null;
  }

  /** Fractions of the bike's footprint off the road and in the opposing lane. */
  private intersections(): { offroad: number; otherlane: number } {
    const v = this.vehicle;
    const terrain = this.world.terrain;
    const c = Math.cos(v.yaw), s = Math.sin(v.yaw);
    const ex = BIKE.extent.x, ey = BIKE.extent.y;
    const along = this.world.course.directionAt(v.s, v.yaw);
    let off = 0, other = 0, n = 0;
    for (const a of [-ex, 0, ex]) {
      for (const b of [-ey, ey]) {
        n++;
        const node = terrain.nodeAt(v.x + c * a - s * b, v.y + s * a + c * b);
        const t = node >= 0 ? terrain.roadTOf(node) : NaN;
        if (Number.isNaN(t) || Math.abs(t) > LANE_WIDTH) off++;
        else if (t * along < 0) other++;
      }
    }
    return { offroad: off / n, otherlane: other / n };
  }

  private transform(x: number, y: number, z: number, yawRad: number, pitchRad = 0): Transform {
    const u = this.units.perMetre;
    return {
      location: { x: x * u, y: y * u, z: z * u },
      orientation: { x: Math.cos(yawRad) * Math.cos(pitchRad), y: Math.sin(yawRad) * Math.cos(pitchRad), z: Math.sin(pitchRad) },
      rotation: { pitch: (pitchRad * 180) / Math.PI, yaw: (yawRad * 180) / Math.PI, roll: 0 },
    };
  }

  private box(ex: number, ey: number, ez: number): { transform: Transform; extent: { x: number; y: number; z: number } } {
    const u = this.units.perMetre;
    return { transform: this.transform(0, 0, ez, 0), extent: { x: ex * u, y: ey * u, z: ez * u } };
  }

  /** Speed in the protocol's unit: m/s in 0.8, km/h in 0.7. */
  private speed(v: number): number {
    return v * this.units.perMps;
  }

  measurements(frameNumber: number, platformTimestamp: number): Measurements {
    const v = this.vehicle;
    const u = this.units.perMetre;
    const { offroad, otherlane } = this.intersections();
    const gap = this.gapAhead();
    const agents: Agent[] = [];
    if (this.settings.sendNonPlayerAgentsInfo) {
      for (const car of this.traffic.cars) {
        const p = this.traffic.carPose(car);
        agents.push({
          id: car.id, kind: 'vehicle',
          vehicle: { transform: this.transform(p.x, p.y, p.z, p.yaw, p.pitch), boundingBox: this.box(car.length / 2, car.width / 2, car.height / 2), forwardSpeed: this.speed(car.speed) },
        });
      }
      for (const w of this.traffic.walkers) {
        const p = this.traffic.walkerPose(w);
        agents.push({
          id: w.id, kind: 'pedestrian',
          pedestrian: { transform: this.transform(p.x, p.y, p.z, p.yaw), boundingBox: this.box(0.25, 0.25, 0.875), forwardSpeed: this.speed(w.speed) },
        });
      }
      for (const sign of this.world.scenery.signs) {
        agents.push({
          id: sign.id, kind: 'speedLimitSign',
          speedLimitSign: { transform: this.transform(sign.x, sign.y, sign.z, (sign.yaw * Math.PI) / 180), speedLimit: this.speed(sign.limit) },
        });
      }
    }
    return {
      platformTimestamp: platformTimestamp >>> 0,
      gameTimestamp: Math.round(this.simTime * 1000) >>> 0,
      frameNumber,
      nonPlayerAgents: agents,
      playerMeasurements: {
        transform: this.transform(v.x, v.y, v.z, v.yaw, v.pitch),
        boundingBox: this.box(BIKE.extent.x, BIKE.extent.y, BIKE.extent.z),
        acceleration: { x: v.acceleration.x * u, y: v.acceleration.y * u, z: v.acceleration.z * u },
        forwardSpeed: this.speed(v.speed),
        // Impulses in kg·m/s, or kg·cm/s in 0.7.
        collisionVehicles: this.collisionVehicles * u,
        collisionPedestrians: this.collisionPedestrians * u,
        collisionOther: this.collisionOther * u,
        intersectionOtherlane: otherlane,
        intersectionOffroad: offroad,
        autopilotControl: autopilotControl(this.world, v, gap),
      },
    };
  }

  /** Distance to the nearest car ahead in the bike's lane (Infinity when none). */
  private gapAhead(): number {
    const v = this.vehicle;
    const L = this.world.course.length;
    const along = this.world.course.directionAt(v.s, v.yaw);
    let gap = Infinity;
    for (const car of this.traffic.cars) {
      if (car.dir !== along) continue;
      gap = Math.min(gap, Traffic.gapAhead(L, v.s, along, car.s) - car.length / 2);
    }
    return gap;
  }

  /** Gives a sensor message's buffer back for reuse once it has been written out. */
  release(message: Uint8Array): void {
    this.rig.pool.release(message);
  }

  /** Framed sensor messages for this frame, in the protocol's layout. */
  sensorMessages(frameNumber: number, dt: number): Uint8Array[] {
    const moving: MovingSprite[] = this.traffic.sprites();
    if (this.protocol === '0.7') return [this.rig.framedBulkMessage(this.cameras, this.vehicle, moving, frameNumber)];
    const out = this.rig.framedCameraMessages(this.cameras, this.vehicle, moving, frameNumber);
    for (const l of this.lidars) out.push(l.framedMessage(this.vehicle, moving, frameNumber, dt));
    return out;
  }
}
