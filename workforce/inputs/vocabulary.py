"""The national vocabulary of sectors (and, with issue 9, staff groups).

Sectors fall into two families that every headline reports separately: the
NHS (acute, mental health, community, ambulance, primary care) and adult
social care (residential, domiciliary, community).  This module is the one
place that decides which family a sector belongs to.
"""

from __future__ import annotations

NHS = "NHS"
ADULT_SOCIAL_CARE = "Adult social care"
SECTOR_FAMILIES = (NHS, ADULT_SOCIAL_CARE)

_SOCIAL_CARE_MARKERS = ("social care", "care home", "nursing home", "domiciliary", "home care", "care at home",
                        "residential")


def sector_family(sector: str) -> str:
    """``NHS`` or ``Adult social care`` for a sector name as the plan holds it."""
    text = " ".join(sector.split()).casefold()
    return ADULT_SOCIAL_CARE if any(marker in text for marker in _SOCIAL_CARE_MARKERS) else NHS
