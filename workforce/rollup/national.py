"""National limits (TOML under ``models/``): what no single ICS controls.

    first_year = 2026                      # the financial year the lists start in (2026 = 2026/27)

    [[recruitment_caps]]                   # national cap on hires through a channel, per year
    channel = "International"
    staff_group = "Registered nurses"      # optional: every staff group when left out
    max_hires_fte = [3000, 3000, 2800, 2600, 2400]

    [[training_places]]                    # national places on a training route, per year
    route = "Nursing degree apprenticeship"
    max_starts_fte = [1200, 1200, 1200, 1200, 1200]

    [fund]                                 # a national workforce fund any ICS budget holder may draw on
    amount_gbp = [50_000_000, 50_000_000, 50_000_000, 50_000_000, 50_000_000]

Lists give one value per financial year from ``first_year``; an ICS plan year
with no value in a list is not limited by it.  Values for years before every
ICS plan starts, or a list with no value for any year planned, limit nothing:
a warning says so (``limits_outside_the_plans``), as ``first_year`` is then
most likely wrong.  Channel, staff group and route
names match the ICS workbooks through the national vocabulary
(``workforce vocabulary``): a cap on "Registered nurses" applies to a workbook
that says "RNs", and one on "International" to "Overseas recruitment"; names
outside the vocabulary match ignoring case, spacing and plurals.  Every key is
checked: an unknown key, a wrong type or a negative amount is an error that
names it.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from workforce.data import ModelData
from workforce.inputs.schema import year_label
from workforce.inputs.vocabulary import NameKind, vocabulary
from workforce.rollup.plan_years import span_label


class NationalLimitsError(Exception):
    """The national limits file cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def same_name(kind: NameKind, written: str, limit: str) -> bool:
    """``written`` (in a workbook or plan) and ``limit`` (in the limits file) are one name nationally."""
    vocab = vocabulary()
    return vocab.national_key(kind, written) == vocab.national_key(kind, limit)


@dataclass(frozen=True)
class RecruitmentCap:
    channel: str
    staff_group: str | None
    max_hires_fte: dict[int, float]  # financial year start -> FTE

    def applies_to(self, channel: str, staff_group: str) -> bool:
        return same_name(NameKind.CHANNEL, channel, self.channel) and (
            self.staff_group is None or same_name(NameKind.STAFF_GROUP, staff_group, self.staff_group))

    @property
    def label(self) -> str:
        """In standard names: a cap written for "IR" and "RNs" reads "International hires of Registered nurses"."""
        vocab = vocabulary()
        group = vocab.standard_name(NameKind.STAFF_GROUP, self.staff_group) if self.staff_group else ""
        return f"{vocab.standard_name(NameKind.CHANNEL, self.channel)} hires" + (f" of {group}" if group else "")


@dataclass(frozen=True)
class TrainingPlaces:
    route: str
    max_starts_fte: dict[int, float]

    def applies_to(self, route: str) -> bool:
        return same_name(NameKind.ROUTE, route, self.route)

    @property
    def label(self) -> str:
        return f"{vocabulary().standard_name(NameKind.ROUTE, self.route)} places"


@dataclass(frozen=True)
class NationalLimits:
    path: str
    sha256: str
    text: str
    first_year: int
    recruitment_caps: tuple[RecruitmentCap, ...]
    training_places: tuple[TrainingPlaces, ...]
    fund_gbp: dict[int, float]



def limits_matching_nothing(limits: NationalLimits, datas: list[ModelData]) -> list[str]:
    """One line for each cap or training limit that applies to no recruitment channel or training route of the
    ICSs planned (``datas``), so limits nothing: most often a name misspelt in the limits file."""
    if not datas:
        return []
    notes = []
    check = "check its names against `workforce vocabulary` and the ICS workbooks"
    for cap in limits.recruitment_caps:
        if not any(cap.applies_to(c.channel, c.role[1]) for d in datas for c in d.recruitment):
            notes.append(f'the national limit "{cap.label}" ({Path(limits.path).name}) applies to no recruitment '
                         f"channel of the ICSs planned, so it limits nothing; {check}")
    for places in limits.training_places:
        if not any(places.applies_to(k.route) for d in datas for k in d.training):
            notes.append(f'the national limit "{places.label}" ({Path(limits.path).name}) applies to no training '
                         f"route of the ICSs planned, so it limits nothing; {check}")
    return notes


def limits_outside_the_plans(limits: NationalLimits, datas: list[ModelData]) -> list[str]:
    """One line for each limit that applies to some ICS (and the fund) whose list gives values for years before
    every ICS plan starts, or none for any year planned (``datas``): those values limit nothing (or fund nothing),
    most often because ``first_year`` is wrong.  A list that stops before the plans end, or starts after they start,
    is a choice the module docstring allows (those years are not limited) and gives no line; so do years after
    the plans."""
    if not datas:
        return []
    planned = sorted({d.first_year + y for d in datas for y in range(d.horizon_years)})
    plans = span_label(planned)
    named: list[tuple[str, dict[int, float]]] = [  # a limit that applies to nothing has its own warning
        (f'the national limit "{c.label}"', c.max_hires_fte) for c in limits.recruitment_caps
        if any(c.applies_to(r.channel, r.role[1]) for d in datas for r in d.recruitment)]
    named += [(f'the national limit "{t.label}"', t.max_starts_fte) for t in limits.training_places
              if any(t.applies_to(k.route) for d in datas for k in d.training)]
    notes = []
    for what, values in named + ([("the national workforce fund", limits.fund_gbp)] if limits.fund_gbp else []):
        before = [y for y in sorted(values) if y < planned[0]]
        inside = [y for y in values if y in planned]
        if inside and not before:
            continue
        effect = "no ICS can draw on them" if values is limits.fund_gbp else "they limit nothing"
        years = ", ".join(year_label(y) for y in (before if inside else sorted(values)))
        where = f"before the ICS plans start ({plans})" if inside else \
            f"outside the years the ICS plans cover ({plans})"
        notes.append(f"{what} ({Path(limits.path).name}) gives values for {years}, {where}, so {effect}; check its "
                     "first_year")
    return notes


_TOP = {"first_year", "recruitment_caps", "training_places", "fund"}
_CAP = {"channel", "staff_group", "max_hires_fte"}
_PLACES = {"route", "max_starts_fte"}
_FUND = {"amount_gbp"}


def _amounts(where: str, values: object, first_year: int, problems: list[str]) -> dict[int, float]:
    if not isinstance(values, list) or not values:
        problems.append(f"{where}: expected a list of numbers, one per year from {first_year}")
        return {}
    found: dict[int, float] = {}
    for i, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            problems.append(f"{where}[{i}]: found {value!r}; expected a number of at least 0")
        else:
            found[first_year + i] = float(value)
    return found


def _unknown(where: str, table: dict[str, object], allowed: set[str], problems: list[str]) -> None:
    for key in table:
        if key not in allowed:
            problems.append(f"{where}: unknown key '{key}' (expected one of: {', '.join(sorted(allowed))})")


def _text(where: str, value: object, problems: list[str], *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: expected some text in quotes")
        return None
    return value.strip()


def load_national_limits(path: Path) -> NationalLimits:
    """Read and validate a national limits file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NationalLimitsError([f"{path}: cannot read the national limits file ({exc.strerror or exc})"]) from exc
    try:
        content = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise NationalLimitsError([f"{path}: not valid TOML ({exc})"]) from exc
    problems: list[str] = []
    _unknown(str(path), content, _TOP, problems)
    first_year = content.get("first_year")
    if isinstance(first_year, bool) or not isinstance(first_year, int) or not 2000 <= first_year <= 2100:
        problems.append(f"{path}: 'first_year' is {first_year!r}; expected a year such as 2026")
        first_year = 2026
    caps: list[RecruitmentCap] = []
    for i, table in enumerate(content.get("recruitment_caps", [])):
        where = f"{path}: recruitment_caps[{i}]"
        if not isinstance(table, dict):
            problems.append(f"{where}: expected a table [[recruitment_caps]]")
            continue
        _unknown(where, table, _CAP, problems)
        channel = _text(f"{where}.channel", table.get("channel"), problems)
        group = _text(f"{where}.staff_group", table.get("staff_group"), problems, optional=True)
        amounts = _amounts(f"{where}.max_hires_fte", table.get("max_hires_fte"), first_year, problems)
        if channel:
            caps.append(RecruitmentCap(channel, group, amounts))
    places: list[TrainingPlaces] = []
    for i, table in enumerate(content.get("training_places", [])):
        where = f"{path}: training_places[{i}]"
        if not isinstance(table, dict):
            problems.append(f"{where}: expected a table [[training_places]]")
            continue
        _unknown(where, table, _PLACES, problems)
        route = _text(f"{where}.route", table.get("route"), problems)
        amounts = _amounts(f"{where}.max_starts_fte", table.get("max_starts_fte"), first_year, problems)
        if route:
            places.append(TrainingPlaces(route, amounts))
    fund: dict[int, float] = {}
    if "fund" in content:
        table = content["fund"]
        if not isinstance(table, dict):
            problems.append(f"{path}: 'fund' must be a table [fund]")
        else:
            _unknown(f"{path}: fund", table, _FUND, problems)
            fund = _amounts(f"{path}: fund.amount_gbp", table.get("amount_gbp"), first_year, problems)
    if problems:
        raise NationalLimitsError(problems)
    return NationalLimits(path=str(path), sha256=hashlib.sha256(data).hexdigest(), text=data.decode("utf-8"),
                          first_year=first_year, recruitment_caps=tuple(caps), training_places=tuple(places),
                          fund_gbp=fund)
