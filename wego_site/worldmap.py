"""The member map: Natural Earth country shapes (world-atlas 2.0.2, TopoJSON),
projected at build time with the Equal Earth projection into SVG path data.

Nothing is fetched: the shapes ship in ``wego_site/data/world-atlas/``. Countries
too small for the 1:110m shapes (Hong Kong) are drawn as a dot at the centre of
their 1:50m shape.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path

from .models.common import country_numeric

ATLAS = Path(__file__).parent / "data" / "world-atlas"

#: Width of the map in SVG units; heights follow from the projection.
WIDTH = 1000
NORTH, SOUTH = 84.0, -57.0  # Antarctica and the far north are left out
ANTARCTICA = "010"

# Equal Earth (Šavrič, Patterson and Jenny, 2018)
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2

Ring = list[tuple[float, float]]  # (longitude, latitude) points


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Projected (x, y) in radians-scale units, y up."""
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        math.radians(lon)
        * math.cos(theta)
        / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    )
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_XMAX = equal_earth(180, 0)[0]
_TOP = equal_earth(0, NORTH)[1]
_SCALE = WIDTH / (2 * _XMAX)
HEIGHT = round((_TOP - equal_earth(0, SOUTH)[1]) * _SCALE)


def to_svg(lon: float, lat: float) -> tuple[int, int]:
    """A point on the map, in whole SVG units (y down)."""
    x, y = equal_earth(lon, lat)
    return round((x + _XMAX) * _SCALE), round((_TOP - y) * _SCALE)


@cache
def shapes(scale: str = "110m") -> dict[str, list[Ring]]:
    """Country rings by ISO 3166-1 numeric code, decoded from world-atlas TopoJSON."""
    topo = json.loads((ATLAS / f"countries-{scale}.json").read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded, quantized
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: Iterable[int]) -> Ring:
        out: Ring = []
        for i in indexes:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(arc[1:] if out else arc)
        return out

    out: dict[str, list[Ring]] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        if not code or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = (ring(r) for polygon in polygons for r in polygon)
        out.setdefault(code, []).extend(part for r in rings for part in by_hemisphere(r))
    return out


def by_hemisphere(ring: Ring) -> list[Ring]:
    """A ring that crosses the antimeridian (Russia's Chukotka, Fiji) as two rings,
    one each side. Natural Earth cuts shapes there, so the crossings are points at
    longitude ±180, which belong to both sides; the rest go by their sign."""
    if not any(abs(a[0] - b[0]) > 180 for a, b in pairwise(ring)):
        return [ring]
    east = [
        (180.0, lat) if abs(lon) == 180 else (lon, lat)
        for lon, lat in ring
        if lon >= 0 or lon == -180
    ]
    west = [
        (-180.0, lat) if abs(lon) == 180 else (lon, lat)
        for lon, lat in ring
        if lon < 0 or lon == 180
    ]
    return [r for r in (east, west) if len(r) >= 3]


def path_data(rings: Sequence[Ring]) -> str:
    """SVG path data, relative moves in whole units; rings that vanish are dropped."""
    parts = []
    for r in rings:
        points: list[tuple[int, int]] = []
        for lon, lat in r:
            p = to_svg(lon, lat)
            if not points or p != points[-1]:
                points.append(p)
        if len(points) > 1 and points[-1] == points[0]:
            points.pop()  # "z" closes the ring
        points = simplify(points, TOLERANCE)
        if len(points) < 3:
            continue
        steps = " ".join(f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in pairwise(points))
        parts.append(f"M{points[0][0]} {points[0][1]}l{steps.replace(' -', '-')}z")
    return "".join(parts)


#: Points closer than this (SVG units) to the line through their neighbours go.
TOLERANCE = 0.8


def simplify(points: list[tuple[int, int]], tolerance: float) -> list[tuple[int, int]]:
    """Ramer-Douglas-Peucker on a closed ring: the ring is cut at its first point
    and the point farthest from it, and each half keeps only the points that stray
    more than ``tolerance`` from the line between the points kept around them."""
    if len(points) < 4:
        return points
    x0, y0 = points[0]
    far = max(range(len(points)), key=lambda i: (points[i][0] - x0) ** 2 + (points[i][1] - y0) ** 2)
    keep = {0, far}
    stack = [(0, far), (far, len(points))]
    limit = tolerance * tolerance
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        ax, ay = points[a]
        bx, by = points[b % len(points)]
        dx, dy = bx - ax, by - ay
        norm = dx * dx + dy * dy
        best, worst = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            if norm:
                cross = dx * (py - ay) - dy * (px - ax)
                dist = cross * cross / norm
            else:
                dist = (px - ax) ** 2 + (py - ay) ** 2
            if dist > best:
                best, worst = dist, i
        if best > limit:
            keep.add(worst)
            stack += [(a, worst), (worst, b)]
    return [points[i] for i in sorted(keep)]


def centre(rings: Sequence[Ring]) -> tuple[int, int]:
    """The middle of a shape's bounding box, on the map."""
    lons = [p[0] for r in rings for p in r]
    lats = [p[1] for r in rings for p in r]
    return to_svg((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)


#: Shades by member count: (fewest members, class)
SHADES = ((1, "m1"), (2, "m2"), (5, "m3"), (10, "m4"))


def shade(count: int) -> str:
    return [cls for low, cls in SHADES if count >= low][-1]


@dataclass(frozen=True)
class MapCountry:
    """A member country on the map."""

    code: str  # ISO alpha-2
    name: str
    count: int
    shade: str
    d: str  # SVG path data ("" for a dot)
    dot: tuple[int, int] | None  # centre of a country too small to draw


@dataclass(frozen=True)
class WorldMap:
    width: int
    height: int
    land: str  # path data of every other country, one path
    countries: tuple[MapCountry, ...]


@lru_cache(maxsize=4)
def world_map(members: tuple[tuple[str, str, int], ...]) -> WorldMap:
    """The map of members by country: (alpha-2 code, name, members) each."""
    counts = {code: n for code, _, n in members}
    names = {code: name for code, name, _ in members}
    numeric = {code: country_numeric(code) for code in counts}
    small = shapes("110m")
    theirs = {numeric[c]: c for c in counts if c in numeric}
    land = "".join(
        path_data(rings)
        for code, rings in sorted(small.items())
        if code not in theirs and code != ANTARCTICA
    )
    countries = []
    for code in sorted(counts, key=lambda c: names[c]):
        num = numeric.get(code, "")
        if num in small:
            d, dot = path_data(small[num]), None
        else:
            detailed = shapes("50m").get(num)
            if not detailed:
                continue
            d, dot = "", centre(detailed)
        countries.append(MapCountry(code, names[code], counts[code], shade(counts[code]), d, dot))
    return WorldMap(WIDTH, HEIGHT, land, tuple(countries))
