"""The input workbook contract (v1), as data.

One declarative spec per sheet drives the reader's header mapping, the range
checks in validation, the blank template and the workbook documentation.  Add
or change a column here and all four follow.

Sheet names and headers are matched case-insensitively, ignoring surrounding
spaces and treating spaces and underscores alike (see :func:`normalise_name`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

CONTRACT_VERSION = "1"


class Kind(str, Enum):
    """What a column holds."""

    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"


class Layout(str, Enum):
    """How a sheet is laid out."""

    FIELDS = "fields"  # two columns, field and value (the ICS sheet)
    TABLE = "table"  # one header row, one record per row
    YEARLY = "yearly"  # key columns, then one column per plan year


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table sheet, or one field of the ICS sheet.

    Bounds are inclusive unless ``min_exclusive`` is set.  ``default`` is used
    when an optional column is absent or a cell in it is empty; a required
    column must be present and every cell in it filled.  Text longer than
    ``max_length`` characters is an error (every text field has a limit).
    """

    name: str
    kind: Kind
    description: str
    unit: str = ""
    required: bool = True
    default: float | int | str | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_exclusive: bool = False
    examples: tuple[str, ...] = ()
    max_length: int = 100

    def expected_text(self) -> str:
        """What a valid value looks like, in words for the user."""
        if self.kind is Kind.TEXT:
            return f"some text of at most {self.max_length} characters"
        what = "a whole number" if self.kind is Kind.INTEGER else "a number"
        if self.minimum is not None and self.maximum is not None:
            return f"{what} from {_fmt(self.minimum)} to {_fmt(self.maximum)}"
        if self.minimum is not None:
            if self.min_exclusive:
                return f"{what} greater than {_fmt(self.minimum)}"
            return f"{what} of at least {_fmt(self.minimum)}"
        return what


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the input workbook."""

    name: str
    layout: Layout
    required: bool
    description: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...] = ()  # columns that identify a row (duplicates are errors)
    year_unit: str = ""  # YEARLY sheets: unit of the year columns
    year_minimum: float | None = 0.0  # YEARLY sheets: lowest valid year value
    year_description: str = ""

    def column(self, name: str) -> ColumnSpec:
        """The column spec called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def normalise_name(text: object) -> str:
    """Canonical form of a sheet name, header or field name.

    Case-insensitive, surrounding spaces ignored, spaces and underscores alike:
    ``" Staff In_Post FTE "`` → ``"staff_in_post_fte"``.
    """
    if text is None:
        return ""
    return "_".join(str(text).strip().lower().replace("_", " ").split())


def _rate(name: str, description: str, *, required: bool = True, default: float | None = None) -> ColumnSpec:
    return ColumnSpec(name, Kind.NUMBER, description, unit="fraction (0.12 = 12%)",
                      required=required, default=default, minimum=0.0, maximum=1.0)


def _money(name: str, description: str, *, positive: bool = False) -> ColumnSpec:
    return ColumnSpec(name, Kind.NUMBER, description, unit="£", minimum=0.0, min_exclusive=positive)


def _fte(name: str, description: str) -> ColumnSpec:
    return ColumnSpec(name, Kind.NUMBER, description, unit="FTE", minimum=0.0)


TEXT_MAX_LENGTH = 100  # characters of a name (sector, staff group, budget holder, channel, lever, route, ICS)
CODE_MAX_LENGTH = 16  # characters of an ICS code (ODS codes have 3; the run records hold 16)


def _text(name: str, description: str, examples: tuple[str, ...] = (), max_length: int = TEXT_MAX_LENGTH
          ) -> ColumnSpec:
    return ColumnSpec(name, Kind.TEXT, description, examples=examples, max_length=max_length)


SECTOR_EXAMPLES = ("Acute", "Mental health", "Community", "Social care residential", "Social care domiciliary")
STAFF_GROUP_EXAMPLES = ("Registered nurses", "Doctors", "Allied health professionals", "Healthcare support workers",
                        "Care workers", "Senior care workers", "Registered managers")
CHANNEL_EXAMPLES = ("Domestic", "International", "Newly qualified", "Return to practice")
LEVER_EXAMPLES = ("Flexible working", "Wellbeing", "Retention payment")

ICS = SheetSpec(
    name="ICS",
    layout=Layout.FIELDS,
    required=True,
    description="Who this workbook is for and the plan period. Two columns: field and value.",
    columns=(
        _text("ics_code", "The ICB's ODS code, e.g. QHG.", ("QHG",), max_length=CODE_MAX_LENGTH),
        _text("ics_name", "The ICS's name."),
        ColumnSpec("first_year", Kind.INTEGER, "The first plan year: 2026 means the financial year 2026/27.",
                   unit="year", minimum=2000, maximum=2100),
        ColumnSpec("horizon_years", Kind.INTEGER, "How many financial years the plan covers.",
                   unit="years", minimum=1, maximum=15),
        _rate("pooled_budget_share",
              "Share of each budget holder's budget that may be moved to other budget holders of this ICS "
              "in a year (pooled health and care budgets). Leave empty for none.",
              required=False, default=0.0),
    ),
)

WORKFORCE = SheetSpec(
    name="Workforce",
    layout=Layout.TABLE,
    required=True,
    description="One row per role: a role is one sector and staff group.",
    key=("sector", "staff_group"),
    columns=(
        _text("sector", "NHS or social care sector.", SECTOR_EXAMPLES),
        _text("staff_group", "Staff group within the sector.", STAFF_GROUP_EXAMPLES),
        _text("budget_holder", "Who pays for this role; must appear on the Budget sheet."),
        _fte("staff_in_post_fte", "Staff in post at the start of the first plan year."),
        _rate("leaver_rate", "Share of staff in post at the start of a year who leave during it."),
        _rate("new_starter_leaver_rate", "Share of a year's arrivals who leave within that year. "
              "Leave empty to use leaver_rate.", required=False, default=None),
        _money("salary_cost", "Cost of one FTE for a year, including on-costs (£ per FTE-year).", positive=True),
        ColumnSpec("agency_premium", Kind.NUMBER, "An agency FTE-year costs salary_cost × (1 + agency_premium).",
                   unit="fraction (0.55 = 55%)", minimum=0.0),
        _rate("agency_max_share", "Most of the year's demand that agency staff may cover."),
        _rate("vacancy_target", "Highest acceptable vacancy rate."),
        ColumnSpec("priority", Kind.NUMBER, "Weight of an unfilled FTE in this role.", required=False,
                   default=1.0, minimum=0.0),
    ),
)

DEMAND = SheetSpec(
    name="Demand",
    layout=Layout.YEARLY,
    required=True,
    description="FTE required (the establishment) for every role in every plan year.",
    key=("sector", "staff_group"),
    columns=(_text("sector", "Sector of the role."), _text("staff_group", "Staff group of the role.")),
    year_unit="FTE",
    year_description="FTE required in the year",
)

RECRUITMENT = SheetSpec(
    name="Recruitment",
    layout=Layout.TABLE,
    required=False,
    description="Recruitment channels open to each role.",
    key=("channel", "sector", "staff_group"),
    columns=(
        _text("channel", "Recruitment channel.", CHANNEL_EXAMPLES),
        _text("sector", "Sector of the role recruited to."),
        _text("staff_group", "Staff group of the role recruited to."),
        _money("cost_per_hire", "Cost of one hire, charged in the year the hire is made (£ per FTE)."),
        _fte("max_hires_per_year", "Most hires this channel can make in a year."),
        ColumnSpec("lead_time_years", Kind.INTEGER, "Hires made in year y arrive in year y + lead time.",
                   unit="years", minimum=0),
    ),
)

RETENTION = SheetSpec(
    name="Retention",
    layout=Layout.TABLE,
    required=False,
    description="Retention levers that keep some of a role's expected leavers.",
    key=("lever", "sector", "staff_group"),
    columns=(
        _text("lever", "Retention lever.", LEVER_EXAMPLES),
        _text("sector", "Sector of the role."),
        _text("staff_group", "Staff group of the role."),
        _money("cost_per_fte_retained", "Cost per FTE of leavers avoided (£ per FTE)."),
        _rate("max_leaver_reduction", "Most of a year's expected leavers this lever can keep."),
    ),
)

DEPLOYMENT = SheetSpec(
    name="Deployment",
    layout=Layout.TABLE,
    required=False,
    description="'One workforce' deployment of staff from one role to another, across NHS and social care.",
    key=("from_sector", "from_staff_group", "to_sector", "to_staff_group"),
    columns=(
        _text("from_sector", "Sector the staff are deployed from."),
        _text("from_staff_group", "Staff group deployed."),
        _text("to_sector", "Sector the staff are deployed to."),
        _text("to_staff_group", "Staff group whose demand they help cover."),
        _rate("max_share", "Most of the source role's staff in post that may be deployed."),
        _money("cost_per_fte", "Cost per FTE-year deployed, charged to the destination's budget holder "
               "(salaries stay with the employer) (£ per FTE-year)."),
        _rate("efficiency", "Destination FTE covered per FTE deployed."),
    ),
)

TRAINING = SheetSpec(
    name="Training",
    layout=Layout.TABLE,
    required=False,
    description="Grow-your-own training routes from one staff group to another in the same sector.",
    key=("route", "sector", "from_staff_group", "to_staff_group"),
    columns=(
        _text("route", "Training route, e.g. Nursing apprenticeship."),
        _text("sector", "Sector the route runs in."),
        _text("from_staff_group", "Staff group trainees come from."),
        _text("to_staff_group", "Staff group completers join."),
        ColumnSpec("duration_years", Kind.INTEGER, "Years from start to completion.", unit="years", minimum=1),
        _money("cost_per_start", "Cost of one trainee start, in the start year (£ per FTE)."),
        _fte("max_starts_per_year", "Most trainees who can start in a year."),
        _rate("completion_rate", "Share of starters who complete."),
        _rate("work_contribution", "Share of an FTE a trainee still covers in the from-role while training."),
    ),
)

BUDGET = SheetSpec(
    name="Budget",
    layout=Layout.YEARLY,
    required=True,
    description="Money available for each budget holder's workforce in every plan year.",
    key=("budget_holder",),
    columns=(_text("budget_holder", "Organisation or pooled fund holding the budget."),),
    year_unit="£",
    year_description="£ available in the year",
)

PIPELINE = SheetSpec(
    name="Pipeline",
    layout=Layout.YEARLY,
    required=False,
    description="FTE already committed to arrive (offers made, students graduating). Empty cells mean none.",
    key=("sector", "staff_group"),
    columns=(_text("sector", "Sector of the role."), _text("staff_group", "Staff group of the role.")),
    year_unit="FTE",
    year_description="FTE committed to arrive in the year",
)

def _filter(name: str, what: str) -> ColumnSpec:
    return ColumnSpec(name, Kind.TEXT, f"Optional: only the rows of that sheet whose {what} is this name "
                      "(leave empty for every row).", required=False, default=None)


def _percentile(name: str, which: str) -> ColumnSpec:
    return ColumnSpec(name, Kind.NUMBER, f"The {which} of the multiplier of the workbook's value: 0.8 means 20% "
                      "below, 1.25 means 25% above. low and high make an 80% interval.", unit="multiplier",
                      minimum=0.0, min_exclusive=True)


UNCERTAINTY = SheetSpec(
    name="Uncertainty",
    layout=Layout.TABLE,
    required=False,
    description="Optional ranges on inputs, for plans under uncertainty (workforce solve --futures N): each row "
                "multiplies the values it matches, in every year, by a multiplier drawn in each future. No rows "
                "means the inputs are certain.",
    columns=(
        _text("table", "The sheet whose values are uncertain, e.g. Workforce, Recruitment, Demand, Budget."),
        _text("column", "A numeric column of that sheet, e.g. leaver_rate or max_hires_per_year; amount for the "
              "year columns of Demand, Budget and Pipeline."),
        _filter("sector", "sector"),
        _filter("staff_group", "staff group"),
        _filter("channel", "recruitment channel"),
        _filter("budget_holder", "budget holder"),
        _filter("lever", "retention lever"),
        _filter("route", "training route"),
        _percentile("low", "10th percentile (P10)"),
        _percentile("high", "90th percentile (P90)"),
        ColumnSpec("distribution", Kind.TEXT, "The shape between and beyond low and high: lognormal (the "
                   "default), triangular (most likely the workbook's value; low at most 1, high at least 1) or "
                   "uniform.", required=False, default="lognormal", examples=("lognormal", "triangular", "uniform")),
        ColumnSpec("group", Kind.TEXT, "Optional: rows with the same group move together (one draw each future, "
                   "perfectly correlated); leave empty for a row that moves on its own.", required=False,
                   default=None),
    ),
)

SHEETS: tuple[SheetSpec, ...] = (ICS, WORKFORCE, DEMAND, RECRUITMENT, RETENTION, DEPLOYMENT, TRAINING, BUDGET, PIPELINE,
                                 UNCERTAINTY)


def sheet_by_name(name: str) -> SheetSpec | None:
    """The spec whose name matches ``name`` (normalised), or ``None``."""
    wanted = normalise_name(name)
    for spec in SHEETS:
        if normalise_name(spec.name) == wanted:
            return spec
    return None


@dataclass(frozen=True)
class FinancialYear:
    """A financial year, named by the calendar year it starts in (2026 → 2026/27)."""

    start: int

    @property
    def label(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"


def year_label(start: int) -> str:
    """``2026`` → ``"2026/27"``."""
    return FinancialYear(start).label


def parse_year_header(header: object) -> int | None:
    """The start year a year-column header names, or ``None`` if it is not one.

    Accepts ``2026``, ``2026.0``, ``"2026"``, ``"2026/27"``, ``"2026-27"``,
    ``"2026/2027"`` and an optional ``"FY"`` prefix.  ``"2026/28"`` is not a
    financial year and returns ``None``.
    """
    if isinstance(header, bool):
        return None
    if isinstance(header, int):
        return header if 1900 <= header <= 2200 else None
    if isinstance(header, float):
        return int(header) if header.is_integer() and 1900 <= header <= 2200 else None
    if not isinstance(header, str):
        return None
    text = header.strip().upper().removeprefix("FY").strip()
    if text.isdigit() and len(text) == 4:
        return int(text)
    for sep in ("/", "-"):
        if sep in text:
            first, _, second = (part.strip() for part in text.partition(sep))
            if not (first.isdigit() and len(first) == 4 and second.isdigit()):
                return None
            start = int(first)
            if len(second) == 2 and int(second) == (start + 1) % 100:
                return start
            if len(second) == 4 and int(second) == start + 1:
                return start
            return None
    return None


@dataclass(frozen=True)
class WorkbookDoc:
    """Text used by the template's instructions sheet and the README."""

    title: str = "ICS workforce planning workbook (contract v" + CONTRACT_VERSION + ")"
    notes: tuple[str, ...] = field(default=(
        "Money is in pounds (£), staff in full-time equivalents (FTE), rates are fractions (0.12 = 12%).",
        "Years are financial years: a column headed 2026 or 2026/27 means the year starting April 2026.",
        "A role is one sector and staff group. Spell roles the same way on every sheet.",
        "Sectors, staff groups, channels and routes: pick the standard names in the dropdowns (`workforce "
        "vocabulary` lists them and the synonyms read as each); another name is kept as written and reported.",
        "Sheet names and column headers are matched ignoring case, surrounding spaces and spaces vs underscores.",
        "Optional sheets (Recruitment, Retention, Deployment, Training, Pipeline, Uncertainty) may be left empty or "
        "deleted.",
        "Type values, not formulas: a formula the file holds no saved result for cannot be read.",
    ))
