"""Make somec_graph/app/data/europe.geojson: simplified country outlines for the dashboard's maps.

Source: the npm package world-atlas 2 (https://github.com/topojson/world-atlas, ISC licence), a
TopoJSON conversion of Natural Earth's 1:50m Admin 0 countries (public domain). Fetch it with the
ordinary npm client and point this script at the file:

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
    python tools/europe_outlines.py /tmp/package/countries-50m.json

Every state of seed_data/states.csv gets its outline (property ``code``, ISO 3166-1 alpha-2);
a few neighbours are kept as context with an empty ``code``. Outlines are clipped to Europe,
simplified (Douglas-Peucker) and rounded, to keep the file small.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "somec_graph" / "app" / "data" / "europe.geojson"
BOX = (-25.0, 34.0, 45.0, 72.0)  # lon/lat: Iceland to the Caucasus, Crete to the North Cape
TOLERANCE = 0.04  # degrees
# ISO 3166-1 numeric (world-atlas ids) of the states in seed_data/states.csv.
NUMERIC = {"AT": "040", "BE": "056", "BG": "100", "HR": "191", "CY": "196", "CZ": "203", "DK": "208",
           "EE": "233", "FI": "246", "FR": "250", "DE": "276", "GR": "300", "HU": "348", "IE": "372",
           "IT": "380", "LV": "428", "LT": "440", "LU": "442", "MT": "470", "NL": "528", "PL": "616",
           "PT": "620", "RO": "642", "SK": "703", "SI": "705", "ES": "724", "SE": "752", "GB": "826",
           "NO": "578", "CH": "756", "IS": "352", "LI": "438", "AL": "008", "BA": "070", "MD": "498",
           "ME": "499", "MK": "807", "RS": "688", "TR": "792", "UA": "804"}
CONTEXT = {"Russia", "Belarus", "Kosovo", "N. Cyprus", "Georgia", "Armenia", "Azerbaijan", "Morocco",
           "Algeria", "Tunisia", "Libya", "Syria", "Iraq", "Iran", "Andorra", "Monaco", "San Marino", "Vatican",
           "Faeroe Is.", "Greenland", "Egypt", "Israel", "Lebanon", "Jordan", "Kazakhstan"}


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:  # delta-encoded, quantised
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _ring(arcs: list, indices: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring += pts[1:] if ring else pts
    return ring


def _clip(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sutherland-Hodgman against BOX."""
    x0, y0, x1, y1 = BOX
    edges = [(lambda p: p[0] >= x0, lambda a, b: _cut_x(a, b, x0)), (lambda p: p[0] <= x1, lambda a, b: _cut_x(a, b, x1)),
             (lambda p: p[1] >= y0, lambda a, b: _cut_y(a, b, y0)), (lambda p: p[1] <= y1, lambda a, b: _cut_y(a, b, y1))]
    for inside, cut in edges:
        if not ring:
            break
        out = []
        for i, cur in enumerate(ring):
            prev = ring[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
        ring = out
    return ring


def _cut_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cut_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def _simplify(pts: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative."""
    if len(pts) < 4:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        (ax, ay), (bx, by) = pts[i], pts[j]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy) or 1e-12
        best, at = 0.0, -1
        for k in range(i + 1, j):
            px, py = pts[k]
            d = abs(dy * (px - ax) - dx * (py - ay)) / norm if (dx or dy) else math.hypot(px - ax, py - ay)
            if d > best:
                best, at = d, k
        if best > tol and at > 0:
            keep[at] = True
            stack += [(i, at), (at, j)]
    return [p for p, k in zip(pts, keep) if k]


def _area(ring: list[tuple[float, float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))) / 2


def main(source: str) -> None:
    topo = json.loads(Path(source).read_text(encoding="utf-8"))
    arcs = _arcs(topo)
    with (REPO / "seed_data" / "states.csv").open(encoding="utf-8", newline="") as f:
        names = {r["code"]: r["name"] for r in csv.DictReader(f)}
    by_numeric = {v: k for k, v in NUMERIC.items()}
    missing = sorted(set(names) - set(NUMERIC))
    if missing:
        raise SystemExit(f"no ISO numeric code for {missing}: add them to NUMERIC")
    features = []
    for g in topo["objects"]["countries"]["geometries"]:
        code = by_numeric.get(g.get("id"), "")
        if not code and g["properties"]["name"] not in CONTEXT:
            continue
        polygons = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        out = []
        for polygon in polygons:
            rings = []
            for indices in polygon:
                ring = _clip(_simplify(_ring(arcs, indices), TOLERANCE))
                ring = [(round(x, 2), round(y, 2)) for x, y in ring]
                ring = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
                if len(ring) >= 3 and _area(ring) > 0.004:
                    rings.append([list(p) for p in ring] + [list(ring[0])])
            if rings:
                out.append(rings)
        if not out:
            continue
        features.append({"type": "Feature", "properties": {"code": code, "name": names.get(code, g["properties"]["name"])},
                         "geometry": {"type": "MultiPolygon", "coordinates": out}})
    features.sort(key=lambda f: (f["properties"]["code"] == "", f["properties"]["code"], f["properties"]["name"]))
    found = {f["properties"]["code"] for f in features}
    if set(names) - found:
        raise SystemExit(f"no outline for {sorted(set(names) - found)}")
    collection = {"type": "FeatureCollection",
                  "source": "Natural Earth 1:50m Admin 0 countries (public domain) via world-atlas 2 (ISC); "
                            "clipped to Europe and simplified by tools/europe_outlines.py",
                  "features": features}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(REPO)}: {len(features)} outlines, {OUT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/package/countries-50m.json")
