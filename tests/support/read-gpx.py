"""An independent GPX reader for the tests: gpxpy (Debian python3-gpxpy), not our code.
Prints the points of the file named on the command line as JSON: time, elevation, power,
heart rate and cadence (from the bare <power> and the Garmin TrackPointExtension)."""
import json
import sys

import gpxpy

with open(sys.argv[1], encoding="utf-8") as f:
    gpx = gpxpy.parse(f)


def local(tag):
    return tag.rsplit("}", 1)[-1]


points = []
for track in gpx.tracks:
    for seg in track.segments:
        for p in seg.points:
            row = {"time": p.time.isoformat(), "ele": p.elevation, "lat": p.latitude, "lon": p.longitude, "power": None, "hr": None, "cad": None}
            for ext in p.extensions:
                if local(ext.tag) == "power":
                    row["power"] = int(ext.text)
                for child in ext:
                    if local(child.tag) in ("hr", "cad"):
                        row[local(child.tag)] = int(child.text)
            points.append(row)
print(json.dumps({"creator": gpx.creator, "name": gpx.tracks[0].name, "type": gpx.tracks[0].type, "segments": sum(len(t.segments) for t in gpx.tracks), "points": points}))
