"""The national vocabulary: standard names of sectors, staff groups, recruitment channels and training routes.

The names are data shipped with the package (``vocabulary.toml``, built on NHS Workforce Statistics staff
groups and Skills for Care job roles, with its sources).  A name written in a workbook or a national limits
file is matched to a standard name by :func:`name_key`, which ignores case, spacing, punctuation and
singular/plural, or through one of the standard name's synonyms.  A name that matches nothing is kept as
written: local roles stay possible, and :meth:`Vocabulary.closest` offers the nearest standard names.

Sectors fall into two families that every headline reports separately: the NHS (acute, mental health,
community, ambulance, primary care) and adult social care (residential, domiciliary, community).
:func:`sector_family` is the one place that decides which family a sector belongs to.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from importlib import resources

NHS = "NHS"
ADULT_SOCIAL_CARE = "Adult social care"
SECTOR_FAMILIES = (NHS, ADULT_SOCIAL_CARE)

# Words that mark a sector the vocabulary does not know as adult social care.
_SOCIAL_CARE_MARKERS = ("social care", "care home", "nursing home", "domiciliary", "home care", "care at home",
                        "residential")
_CLOSEST_CUTOFF = 0.6  # difflib similarity below which a standard name is not offered as "did you mean"


class NameKind(str, Enum):
    """What a name in a workbook names; the value is the table name in ``vocabulary.toml``."""

    SECTOR = "sector"
    STAFF_GROUP = "staff_group"
    CHANNEL = "channel"
    ROUTE = "route"

    @property
    def label(self) -> str:
        """In words, e.g. ``"staff group"``."""
        return {"sector": "sector", "staff_group": "staff group", "channel": "recruitment channel",
                "route": "training route"}[self.value]


@dataclass(frozen=True)
class StandardName:
    """One standard name, where it comes from, and the other ways of writing it."""

    kind: NameKind
    name: str
    source: str
    synonyms: tuple[str, ...]
    family: str = ""  # sectors only: NHS or Adult social care


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) >= 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def name_key(text: str) -> str:
    """What two spellings of one name have in common.

    Case, spacing, punctuation and a plural ``s`` are ignored, and ``&`` reads as ``and``:
    ``"Health-care  Assistants"`` and ``"healthcare assistant"`` give the same key.
    """
    folded = text.casefold().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return "".join(_singular(word) for word in re.findall(r"[a-z0-9]+", folded))


def tidy(text: str) -> str:
    """A name with its surrounding and repeated spaces removed."""
    return " ".join(str(text).split())


@dataclass(frozen=True)
class Vocabulary:
    """Standard names by kind, and every key (name or synonym) that reads as each."""

    names: dict[NameKind, tuple[StandardName, ...]]
    by_key: dict[tuple[NameKind, str], StandardName]

    def standard(self, kind: NameKind, text: str) -> StandardName | None:
        """The standard name ``text`` reads as, or ``None``."""
        return self.by_key.get((kind, name_key(text)))

    def standard_name(self, kind: NameKind, text: str) -> str:
        """The standard name ``text`` reads as, or ``text`` tidied when it reads as none."""
        found = self.standard(kind, text)
        return found.name if found else tidy(text)

    def national_key(self, kind: NameKind, text: str) -> str:
        """Names with equal keys are one name nationally: standard names and their synonyms, or equal local names."""
        return name_key(self.standard_name(kind, text))

    def closest(self, kind: NameKind, text: str, count: int = 3) -> list[str]:
        """The standard names most like ``text`` (best first), judged on every name and synonym."""
        wanted = " ".join(re.findall(r"[a-z0-9]+", text.casefold()))
        best: dict[str, float] = {}
        for entry in self.names[kind]:
            for spelling in (entry.name, *entry.synonyms):
                candidate = " ".join(re.findall(r"[a-z0-9]+", spelling.casefold()))
                score = difflib.SequenceMatcher(None, wanted, candidate).ratio()
                best[entry.name] = max(best.get(entry.name, 0.0), score)
        ranked = sorted((name for name, score in best.items() if score >= _CLOSEST_CUTOFF),
                        key=lambda name: (-best[name], name))
        return ranked[:count]


class VocabularyError(Exception):
    """The vocabulary file is inconsistent (a packaging error, caught by the tests)."""


def parse_vocabulary(content: dict[str, object]) -> Vocabulary:
    """Check and index the contents of a vocabulary file."""
    names: dict[NameKind, tuple[StandardName, ...]] = {}
    by_key: dict[tuple[NameKind, str], StandardName] = {}
    for kind in NameKind:
        entries = []
        for table in content.get(kind.value, []):  # type: ignore[union-attr]
            entry = StandardName(kind, table["name"], table.get("source", ""), tuple(table.get("synonyms", ())),
                                 table.get("family", ""))
            if kind is NameKind.SECTOR and entry.family not in SECTOR_FAMILIES:
                raise VocabularyError(f"sector {entry.name!r}: family must be one of {SECTOR_FAMILIES}")
            for spelling in (entry.name, *entry.synonyms):
                key = (kind, name_key(spelling))
                if key in by_key and by_key[key] is not entry:
                    raise VocabularyError(f"{kind.label} {spelling!r} reads as both {by_key[key].name!r} "
                                          f"and {entry.name!r}")
                by_key[key] = entry
            entries.append(entry)
        names[kind] = tuple(entries)
    return Vocabulary(names, by_key)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary shipped with the package (read once)."""
    text = resources.files("workforce.inputs").joinpath("vocabulary.toml").read_text(encoding="utf-8")
    return parse_vocabulary(tomllib.loads(text))


def sector_family(sector: str) -> str:
    """``NHS`` or ``Adult social care`` for a sector name as the plan holds it.

    A standard sector (or a synonym of one) has the family the vocabulary gives it; any other name is adult
    social care when it mentions social care, a care home or home care, and NHS otherwise.
    """
    found = vocabulary().standard(NameKind.SECTOR, sector)
    if found is not None:
        return found.family
    text = " ".join(sector.split()).casefold()
    return ADULT_SOCIAL_CARE if any(marker in text for marker in _SOCIAL_CARE_MARKERS) else NHS
