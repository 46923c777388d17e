import * as $protobuf from "protobufjs";
import type Long from "long";

/** Namespace carla_server. */
export namespace carla_server {

    /**
     * Properties of a Vector3D.
     * @deprecated Use carla_server.Vector3D.$Properties instead.
     */
    interface IVector3D extends carla_server.Vector3D.$Properties {
    }

    /** Represents a Vector3D. */
    class Vector3D {

        /**
         * Constructs a new Vector3D.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.Vector3D.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Vector3D x. */
        x: number;

        /** Vector3D y. */
        y: number;

        /** Vector3D z. */
        z: number;

        /**
         * Encodes the specified Vector3D message. Does not implicitly {@link carla_server.Vector3D.verify|verify} messages.
         * @param message Vector3D message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.Vector3D.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Vector3D message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.Vector3D & carla_server.Vector3D.$Shape} Vector3D
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.Vector3D & carla_server.Vector3D.$Shape;
    }

    namespace Vector3D {

        /** Properties of a Vector3D. */
        interface $Properties {

            /** Vector3D x */
            x?: (number|null);

            /** Vector3D y */
            y?: (number|null);

            /** Vector3D z */
            z?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Vector3D. */
        type $Shape = carla_server.Vector3D.$Properties;
    }

    /**
     * Properties of a Rotation3D.
     * @deprecated Use carla_server.Rotation3D.$Properties instead.
     */
    interface IRotation3D extends carla_server.Rotation3D.$Properties {
    }

    /** Represents a Rotation3D. */
    class Rotation3D {

        /**
         * Constructs a new Rotation3D.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.Rotation3D.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Rotation3D pitch. */
        pitch: number;

        /** Rotation3D yaw. */
        yaw: number;

        /** Rotation3D roll. */
        roll: number;

        /**
         * Encodes the specified Rotation3D message. Does not implicitly {@link carla_server.Rotation3D.verify|verify} messages.
         * @param message Rotation3D message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.Rotation3D.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Rotation3D message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.Rotation3D & carla_server.Rotation3D.$Shape} Rotation3D
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.Rotation3D & carla_server.Rotation3D.$Shape;
    }

    namespace Rotation3D {

        /** Properties of a Rotation3D. */
        interface $Properties {

            /** Rotation3D pitch */
            pitch?: (number|null);

            /** Rotation3D yaw */
            yaw?: (number|null);

            /** Rotation3D roll */
            roll?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Rotation3D. */
        type $Shape = carla_server.Rotation3D.$Properties;
    }

    /**
     * Properties of a Transform.
     * @deprecated Use carla_server.Transform.$Properties instead.
     */
    interface ITransform extends carla_server.Transform.$Properties {
    }

    /** Represents a Transform. */
    class Transform {

        /**
         * Constructs a new Transform.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.Transform.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Transform location. */
        location?: (carla_server.Vector3D.$Properties|null);

        /** Transform orientation. */
        orientation?: (carla_server.Vector3D.$Properties|null);

        /** Transform rotation. */
        rotation?: (carla_server.Rotation3D.$Properties|null);

        /**
         * Encodes the specified Transform message. Does not implicitly {@link carla_server.Transform.verify|verify} messages.
         * @param message Transform message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.Transform.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Transform message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.Transform & carla_server.Transform.$Shape} Transform
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.Transform & carla_server.Transform.$Shape;
    }

    namespace Transform {

        /** Properties of a Transform. */
        interface $Properties {

            /** Transform location */
            location?: (carla_server.Vector3D.$Properties|null);

            /** Transform orientation */
            orientation?: (carla_server.Vector3D.$Properties|null);

            /** Transform rotation */
            rotation?: (carla_server.Rotation3D.$Properties|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Transform. */
        type $Shape = carla_server.Transform.$Properties;
    }

    /**
     * Properties of a BoundingBox.
     * @deprecated Use carla_server.BoundingBox.$Properties instead.
     */
    interface IBoundingBox extends carla_server.BoundingBox.$Properties {
    }

    /** Represents a BoundingBox. */
    class BoundingBox {

        /**
         * Constructs a new BoundingBox.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.BoundingBox.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** BoundingBox transform. */
        transform?: (carla_server.Transform.$Properties|null);

        /** BoundingBox extent. */
        extent?: (carla_server.Vector3D.$Properties|null);

        /**
         * Encodes the specified BoundingBox message. Does not implicitly {@link carla_server.BoundingBox.verify|verify} messages.
         * @param message BoundingBox message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.BoundingBox.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a BoundingBox message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.BoundingBox & carla_server.BoundingBox.$Shape} BoundingBox
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.BoundingBox & carla_server.BoundingBox.$Shape;
    }

    namespace BoundingBox {

        /** Properties of a BoundingBox. */
        interface $Properties {

            /** BoundingBox transform */
            transform?: (carla_server.Transform.$Properties|null);

            /** BoundingBox extent */
            extent?: (carla_server.Vector3D.$Properties|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a BoundingBox. */
        type $Shape = carla_server.BoundingBox.$Properties;
    }

    /**
     * Properties of a Sensor.
     * @deprecated Use carla_server.Sensor.$Properties instead.
     */
    interface ISensor extends carla_server.Sensor.$Properties {
    }

    /** Represents a Sensor. */
    class Sensor {

        /**
         * Constructs a new Sensor.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.Sensor.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Sensor id. */
        id: number;

        /** Sensor type. */
        type: carla_server.Sensor.Type;

        /** Sensor name. */
        name: string;

        /**
         * Encodes the specified Sensor message. Does not implicitly {@link carla_server.Sensor.verify|verify} messages.
         * @param message Sensor message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.Sensor.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Sensor message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.Sensor & carla_server.Sensor.$Shape} Sensor
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.Sensor & carla_server.Sensor.$Shape;
    }

    namespace Sensor {

        /** Properties of a Sensor. */
        interface $Properties {

            /** Sensor id */
            id?: (number|null);

            /** Sensor type */
            type?: (carla_server.Sensor.Type|null);

            /** Sensor name */
            name?: (string|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Sensor. */
        type $Shape = carla_server.Sensor.$Properties;

        /** Type enum. */
        enum Type {

            /** UNKNOWN value */
            UNKNOWN = 0,

            /** CAMERA value */
            CAMERA = 1,

            /** LIDAR_RAY_CAST value */
            LIDAR_RAY_CAST = 2
        }
    }

    /**
     * Properties of a Vehicle.
     * @deprecated Use carla_server.Vehicle.$Properties instead.
     */
    interface IVehicle extends carla_server.Vehicle.$Properties {
    }

    /** Represents a Vehicle. */
    class Vehicle {

        /**
         * Constructs a new Vehicle.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.Vehicle.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Vehicle transform. */
        transform?: (carla_server.Transform.$Properties|null);

        /** Vehicle boundingBox. */
        boundingBox?: (carla_server.BoundingBox.$Properties|null);

        /** Vehicle forwardSpeed. */
        forwardSpeed: number;

        /**
         * Encodes the specified Vehicle message. Does not implicitly {@link carla_server.Vehicle.verify|verify} messages.
         * @param message Vehicle message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.Vehicle.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Vehicle message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.Vehicle & carla_server.Vehicle.$Shape} Vehicle
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.Vehicle & carla_server.Vehicle.$Shape;
    }

    namespace Vehicle {

        /** Properties of a Vehicle. */
        interface $Properties {

            /** Vehicle transform */
            transform?: (carla_server.Transform.$Properties|null);

            /** Vehicle boundingBox */
            boundingBox?: (carla_server.BoundingBox.$Properties|null);

            /** Vehicle forwardSpeed */
            forwardSpeed?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Vehicle. */
        type $Shape = carla_server.Vehicle.$Properties;
    }

    /**
     * Properties of a Pedestrian.
     * @deprecated Use carla_server.Pedestrian.$Properties instead.
     */
    interface IPedestrian extends carla_server.Pedestrian.$Properties {
    }

    /** Represents a Pedestrian. */
    class Pedestrian {

        /**
         * Constructs a new Pedestrian.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.Pedestrian.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Pedestrian transform. */
        transform?: (carla_server.Transform.$Properties|null);

        /** Pedestrian boundingBox. */
        boundingBox?: (carla_server.BoundingBox.$Properties|null);

        /** Pedestrian forwardSpeed. */
        forwardSpeed: number;

        /**
         * Encodes the specified Pedestrian message. Does not implicitly {@link carla_server.Pedestrian.verify|verify} messages.
         * @param message Pedestrian message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.Pedestrian.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Pedestrian message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.Pedestrian & carla_server.Pedestrian.$Shape} Pedestrian
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.Pedestrian & carla_server.Pedestrian.$Shape;
    }

    namespace Pedestrian {

        /** Properties of a Pedestrian. */
        interface $Properties {

            /** Pedestrian transform */
            transform?: (carla_server.Transform.$Properties|null);

            /** Pedestrian boundingBox */
            boundingBox?: (carla_server.BoundingBox.$Properties|null);

            /** Pedestrian forwardSpeed */
            forwardSpeed?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Pedestrian. */
        type $Shape = carla_server.Pedestrian.$Properties;
    }

    /**
     * Properties of a TrafficLight.
     * @deprecated Use carla_server.TrafficLight.$Properties instead.
     */
    interface ITrafficLight extends carla_server.TrafficLight.$Properties {
    }

    /** Represents a TrafficLight. */
    class TrafficLight {

        /**
         * Constructs a new TrafficLight.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.TrafficLight.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** TrafficLight transform. */
        transform?: (carla_server.Transform.$Properties|null);

        /** TrafficLight state. */
        state: carla_server.TrafficLight.State;

        /**
         * Encodes the specified TrafficLight message. Does not implicitly {@link carla_server.TrafficLight.verify|verify} messages.
         * @param message TrafficLight message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.TrafficLight.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a TrafficLight message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.TrafficLight & carla_server.TrafficLight.$Shape} TrafficLight
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.TrafficLight & carla_server.TrafficLight.$Shape;
    }

    namespace TrafficLight {

        /** Properties of a TrafficLight. */
        interface $Properties {

            /** TrafficLight transform */
            transform?: (carla_server.Transform.$Properties|null);

            /** TrafficLight state */
            state?: (carla_server.TrafficLight.State|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a TrafficLight. */
        type $Shape = carla_server.TrafficLight.$Properties;

        /** State enum. */
        enum State {

            /** GREEN value */
            GREEN = 0,

            /** YELLOW value */
            YELLOW = 1,

            /** RED value */
            RED = 2
        }
    }

    /**
     * Properties of a SpeedLimitSign.
     * @deprecated Use carla_server.SpeedLimitSign.$Properties instead.
     */
    interface ISpeedLimitSign extends carla_server.SpeedLimitSign.$Properties {
    }

    /** Represents a SpeedLimitSign. */
    class SpeedLimitSign {

        /**
         * Constructs a new SpeedLimitSign.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.SpeedLimitSign.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** SpeedLimitSign transform. */
        transform?: (carla_server.Transform.$Properties|null);

        /** SpeedLimitSign speedLimit. */
        speedLimit: number;

        /**
         * Encodes the specified SpeedLimitSign message. Does not implicitly {@link carla_server.SpeedLimitSign.verify|verify} messages.
         * @param message SpeedLimitSign message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.SpeedLimitSign.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a SpeedLimitSign message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.SpeedLimitSign & carla_server.SpeedLimitSign.$Shape} SpeedLimitSign
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.SpeedLimitSign & carla_server.SpeedLimitSign.$Shape;
    }

    namespace SpeedLimitSign {

        /** Properties of a SpeedLimitSign. */
        interface $Properties {

            /** SpeedLimitSign transform */
            transform?: (carla_server.Transform.$Properties|null);

            /** SpeedLimitSign speedLimit */
            speedLimit?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a SpeedLimitSign. */
        type $Shape = carla_server.SpeedLimitSign.$Properties;
    }

    /**
     * Properties of an Agent.
     * @deprecated Use carla_server.Agent.$Properties instead.
     */
    interface IAgent extends carla_server.Agent.$Properties {
    }

    /** Represents an Agent. */
    class Agent {

        /**
         * Constructs a new Agent.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.Agent.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Agent id. */
        id: number;

        /** Agent vehicle. */
        vehicle?: (carla_server.Vehicle.$Properties|null);

        /** Agent pedestrian. */
        pedestrian?: (carla_server.Pedestrian.$Properties|null);

        /** Agent trafficLight. */
        trafficLight?: (carla_server.TrafficLight.$Properties|null);

        /** Agent speedLimitSign. */
        speedLimitSign?: (carla_server.SpeedLimitSign.$Properties|null);

        /** Agent agent. */
        agent?: ("vehicle"|"pedestrian"|"trafficLight"|"speedLimitSign");

        /**
         * Encodes the specified Agent message. Does not implicitly {@link carla_server.Agent.verify|verify} messages.
         * @param message Agent message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.Agent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an Agent message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.Agent & carla_server.Agent.$Shape} Agent
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.Agent & carla_server.Agent.$Shape;
    }

    namespace Agent {

        /** Properties of an Agent. */
        interface $Properties {

            /** Agent id */
            id?: (number|null);

            /** Agent vehicle */
            vehicle?: (carla_server.Vehicle.$Properties|null);

            /** Agent pedestrian */
            pedestrian?: (carla_server.Pedestrian.$Properties|null);

            /** Agent trafficLight */
            trafficLight?: (carla_server.TrafficLight.$Properties|null);

            /** Agent speedLimitSign */
            speedLimitSign?: (carla_server.SpeedLimitSign.$Properties|null);

            /** Agent agent */
            agent?: ("vehicle"|"pedestrian"|"trafficLight"|"speedLimitSign");

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Narrowed shape of an Agent. */
        type $Shape = {
          id?: number|null;
          vehicle?: carla_server.Vehicle.$Shape|null;
          pedestrian?: carla_server.Pedestrian.$Shape|null;
          trafficLight?: carla_server.TrafficLight.$Shape|null;
          speedLimitSign?: carla_server.SpeedLimitSign.$Shape|null;
          $unknowns?: Uint8Array[];
        } & (
          ({ agent?: undefined; vehicle?: null; pedestrian?: null; trafficLight?: null; speedLimitSign?: null }|{ agent?: "vehicle"; vehicle: carla_server.Vehicle.$Shape; pedestrian?: null; trafficLight?: null; speedLimitSign?: null }|{ agent?: "pedestrian"; vehicle?: null; pedestrian: carla_server.Pedestrian.$Shape; trafficLight?: null; speedLimitSign?: null }|{ agent?: "trafficLight"; vehicle?: null; pedestrian?: null; trafficLight: carla_server.TrafficLight.$Shape; speedLimitSign?: null }|{ agent?: "speedLimitSign"; vehicle?: null; pedestrian?: null; trafficLight?: null; speedLimitSign: carla_server.SpeedLimitSign.$Shape })
        );
    }

    /**
     * Properties of a RequestNewEpisode.
     * @deprecated Use carla_server.RequestNewEpisode.$Properties instead.
     */
    interface IRequestNewEpisode extends carla_server.RequestNewEpisode.$Properties {
    }

    /** Represents a RequestNewEpisode. */
    class RequestNewEpisode {

        /**
         * Constructs a new RequestNewEpisode.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.RequestNewEpisode.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** RequestNewEpisode iniFile. */
        iniFile: string;

        /**
         * Encodes the specified RequestNewEpisode message. Does not implicitly {@link carla_server.RequestNewEpisode.verify|verify} messages.
         * @param message RequestNewEpisode message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.RequestNewEpisode.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a RequestNewEpisode message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.RequestNewEpisode & carla_server.RequestNewEpisode.$Shape} RequestNewEpisode
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.RequestNewEpisode & carla_server.RequestNewEpisode.$Shape;
    }

    namespace RequestNewEpisode {

        /** Properties of a RequestNewEpisode. */
        interface $Properties {

            /** RequestNewEpisode iniFile */
            iniFile?: (string|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a RequestNewEpisode. */
        type $Shape = carla_server.RequestNewEpisode.$Properties;
    }

    /**
     * Properties of a SceneDescription.
     * @deprecated Use carla_server.SceneDescription.$Properties instead.
     */
    interface ISceneDescription extends carla_server.SceneDescription.$Properties {
    }

    /** Represents a SceneDescription. */
    class SceneDescription {

        /**
         * Constructs a new SceneDescription.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.SceneDescription.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** SceneDescription playerStartSpots. */
        playerStartSpots: carla_server.Transform.$Properties[];

        /** SceneDescription sensors. */
        sensors: carla_server.Sensor.$Properties[];

        /** SceneDescription mapName. */
        mapName: string;

        /**
         * Encodes the specified SceneDescription message. Does not implicitly {@link carla_server.SceneDescription.verify|verify} messages.
         * @param message SceneDescription message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.SceneDescription.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a SceneDescription message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.SceneDescription & carla_server.SceneDescription.$Shape} SceneDescription
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.SceneDescription & carla_server.SceneDescription.$Shape;
    }

    namespace SceneDescription {

        /** Properties of a SceneDescription. */
        interface $Properties {

            /** SceneDescription playerStartSpots */
            playerStartSpots?: (carla_server.Transform.$Properties[]|null);

            /** SceneDescription sensors */
            sensors?: (carla_server.Sensor.$Properties[]|null);

            /** SceneDescription mapName */
            mapName?: (string|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a SceneDescription. */
        type $Shape = carla_server.SceneDescription.$Properties;
    }

    /**
     * Properties of an EpisodeStart.
     * @deprecated Use carla_server.EpisodeStart.$Properties instead.
     */
    interface IEpisodeStart extends carla_server.EpisodeStart.$Properties {
    }

    /** Represents an EpisodeStart. */
    class EpisodeStart {

        /**
         * Constructs a new EpisodeStart.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.EpisodeStart.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** EpisodeStart playerStartSpotIndex. */
        playerStartSpotIndex: number;

        /**
         * Encodes the specified EpisodeStart message. Does not implicitly {@link carla_server.EpisodeStart.verify|verify} messages.
         * @param message EpisodeStart message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.EpisodeStart.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an EpisodeStart message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.EpisodeStart & carla_server.EpisodeStart.$Shape} EpisodeStart
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.EpisodeStart & carla_server.EpisodeStart.$Shape;
    }

    namespace EpisodeStart {

        /** Properties of an EpisodeStart. */
        interface $Properties {

            /** EpisodeStart playerStartSpotIndex */
            playerStartSpotIndex?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of an EpisodeStart. */
        type $Shape = carla_server.EpisodeStart.$Properties;
    }

    /**
     * Properties of an EpisodeReady.
     * @deprecated Use carla_server.EpisodeReady.$Properties instead.
     */
    interface IEpisodeReady extends carla_server.EpisodeReady.$Properties {
    }

    /** Represents an EpisodeReady. */
    class EpisodeReady {

        /**
         * Constructs a new EpisodeReady.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.EpisodeReady.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** EpisodeReady ready. */
        ready: boolean;

        /**
         * Encodes the specified EpisodeReady message. Does not implicitly {@link carla_server.EpisodeReady.verify|verify} messages.
         * @param message EpisodeReady message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.EpisodeReady.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an EpisodeReady message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.EpisodeReady & carla_server.EpisodeReady.$Shape} EpisodeReady
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.EpisodeReady & carla_server.EpisodeReady.$Shape;
    }

    namespace EpisodeReady {

        /** Properties of an EpisodeReady. */
        interface $Properties {

            /** EpisodeReady ready */
            ready?: (boolean|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of an EpisodeReady. */
        type $Shape = carla_server.EpisodeReady.$Properties;
    }

    /**
     * Properties of a Control.
     * @deprecated Use carla_server.Control.$Properties instead.
     */
    interface IControl extends carla_server.Control.$Properties {
    }

    /** Represents a Control. */
    class Control {

        /**
         * Constructs a new Control.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.Control.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Control steer. */
        steer: number;

        /** Control throttle. */
        throttle: number;

        /** Control brake. */
        brake: number;

        /** Control handBrake. */
        handBrake: boolean;

        /** Control reverse. */
        reverse: boolean;

        /**
         * Encodes the specified Control message. Does not implicitly {@link carla_server.Control.verify|verify} messages.
         * @param message Control message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.Control.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Control message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.Control & carla_server.Control.$Shape} Control
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.Control & carla_server.Control.$Shape;
    }

    namespace Control {

        /** Properties of a Control. */
        interface $Properties {

            /** Control steer */
            steer?: (number|null);

            /** Control throttle */
            throttle?: (number|null);

            /** Control brake */
            brake?: (number|null);

            /** Control handBrake */
            handBrake?: (boolean|null);

            /** Control reverse */
            reverse?: (boolean|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Control. */
        type $Shape = carla_server.Control.$Properties;
    }

    /**
     * Properties of a Measurements.
     * @deprecated Use carla_server.Measurements.$Properties instead.
     */
    interface IMeasurements extends carla_server.Measurements.$Properties {
    }

    /** Represents a Measurements. */
    class Measurements {

        /**
         * Constructs a new Measurements.
         * @param [properties] Properties to set
         */
        constructor(properties?: carla_server.Measurements.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Measurements platformTimestamp. */
        platformTimestamp: number;

        /** Measurements gameTimestamp. */
        gameTimestamp: number;

        /** Measurements playerMeasurements. */
        playerMeasurements?: (carla_server.Measurements.PlayerMeasurements.$Properties|null);

        /** Measurements nonPlayerAgents. */
        nonPlayerAgents: carla_server.Agent.$Properties[];

        /** Measurements frameNumber. */
        frameNumber: number;

        /**
         * Encodes the specified Measurements message. Does not implicitly {@link carla_server.Measurements.verify|verify} messages.
         * @param message Measurements message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: carla_server.Measurements.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Measurements message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {carla_server.Measurements & carla_server.Measurements.$Shape} Measurements
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.Measurements & carla_server.Measurements.$Shape;
    }

    namespace Measurements {

        /** Properties of a Measurements. */
        interface $Properties {

            /** Measurements platformTimestamp */
            platformTimestamp?: (number|null);

            /** Measurements gameTimestamp */
            gameTimestamp?: (number|null);

            /** Measurements playerMeasurements */
            playerMeasurements?: (carla_server.Measurements.PlayerMeasurements.$Properties|null);

            /** Measurements nonPlayerAgents */
            nonPlayerAgents?: (carla_server.Agent.$Properties[]|null);

            /** Measurements frameNumber */
            frameNumber?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Measurements. */
        type $Shape = {
          platformTimestamp?: number|null;
          gameTimestamp?: number|null;
          playerMeasurements?: carla_server.Measurements.PlayerMeasurements.$Shape|null;
          nonPlayerAgents?: carla_server.Agent.$Shape[]|null;
          frameNumber?: number|null;
          $unknowns?: Uint8Array[];
        };

        /**
         * Properties of a PlayerMeasurements.
         * @deprecated Use carla_server.Measurements.PlayerMeasurements.$Properties instead.
         */
        interface IPlayerMeasurements extends carla_server.Measurements.PlayerMeasurements.$Properties {
        }

        /** Represents a PlayerMeasurements. */
        class PlayerMeasurements {

            /**
             * Constructs a new PlayerMeasurements.
             * @param [properties] Properties to set
             */
            constructor(properties?: carla_server.Measurements.PlayerMeasurements.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** PlayerMeasurements transform. */
            transform?: (carla_server.Transform.$Properties|null);

            /** PlayerMeasurements boundingBox. */
            boundingBox?: (carla_server.BoundingBox.$Properties|null);

            /** PlayerMeasurements acceleration. */
            acceleration?: (carla_server.Vector3D.$Properties|null);

            /** PlayerMeasurements forwardSpeed. */
            forwardSpeed: number;

            /** PlayerMeasurements collisionVehicles. */
            collisionVehicles: number;

            /** PlayerMeasurements collisionPedestrians. */
            collisionPedestrians: number;

            /** PlayerMeasurements collisionOther. */
            collisionOther: number;

            /** PlayerMeasurements intersectionOtherlane. */
            intersectionOtherlane: number;

            /** PlayerMeasurements intersectionOffroad. */
            intersectionOffroad: number;

            /** PlayerMeasurements autopilotControl. */
            autopilotControl?: (carla_server.Control.$Properties|null);

            /**
             * Encodes the specified PlayerMeasurements message. Does not implicitly {@link carla_server.Measurements.PlayerMeasurements.verify|verify} messages.
             * @param message PlayerMeasurements message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: carla_server.Measurements.PlayerMeasurements.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a PlayerMeasurements message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {carla_server.Measurements.PlayerMeasurements & carla_server.Measurements.PlayerMeasurements.$Shape} PlayerMeasurements
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): carla_server.Measurements.PlayerMeasurements & carla_server.Measurements.PlayerMeasurements.$Shape;
        }

        namespace PlayerMeasurements {

            /** Properties of a PlayerMeasurements. */
            interface $Properties {

                /** PlayerMeasurements transform */
                transform?: (carla_server.Transform.$Properties|null);

                /** PlayerMeasurements boundingBox */
                boundingBox?: (carla_server.BoundingBox.$Properties|null);

                /** PlayerMeasurements acceleration */
                acceleration?: (carla_server.Vector3D.$Properties|null);

                /** PlayerMeasurements forwardSpeed */
                forwardSpeed?: (number|null);

                /** PlayerMeasurements collisionVehicles */
                collisionVehicles?: (number|null);

                /** PlayerMeasurements collisionPedestrians */
                collisionPedestrians?: (number|null);

                /** PlayerMeasurements collisionOther */
                collisionOther?: (number|null);

                /** PlayerMeasurements intersectionOtherlane */
                intersectionOtherlane?: (number|null);

                /** PlayerMeasurements intersectionOffroad */
                intersectionOffroad?: (number|null);

                /** PlayerMeasurements autopilotControl */
                autopilotControl?: (carla_server.Control.$Properties|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a PlayerMeasurements. */
            type $Shape = carla_server.Measurements.PlayerMeasurements.$Properties;
        }
    }
}
