"""Distances between places, as the crow flies: what "Nära" and the municipality pages measure.

    from dalawux_site.geo import km
    km(catalogue.place("Ludvika"), catalogue.place("Smedjebacken"))   # 12.9

Straight-line (great-circle) distance on a sphere of the Earth's mean radius: within Dalarna it
differs from the WGS84 ellipsoid's by under half a percent, far less than the places' own size.
"""
from __future__ import annotations

import math
from typing import Protocol

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


class HasCoordinates(Protocol):
    lat: float  # degrees north (WGS84)
    lon: float  # degrees east


def km(a: HasCoordinates, b: HasCoordinates) -> float:
    """The haversine distance in kilometres between two points with lat and lon in degrees."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def about_km(distance: float) -> int:
    """A distance as visitors read it: whole kilometres under 10, else to the nearest 5."""
    return round(distance) if distance < 10 else 5 * round(distance / 5)
