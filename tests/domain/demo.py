"""The embedded demo mall and its route graph, loaded once for the domain tests."""

from __future__ import annotations

from functools import cache

from kiosk.domain.imdf import demo_venue_path, load_venue
from kiosk.domain.navgraph import NavGraph, build_nav_graph
from kiosk.domain.venue import VenueData


@cache
def venue() -> VenueData:
    return load_venue(demo_venue_path())


@cache
def graph() -> NavGraph:
    return build_nav_graph(venue())
