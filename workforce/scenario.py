"""Scenario and policy files (TOML under ``models/``), validated strictly.

A scenario holds policy, never equations: the objective weights and
tolerances of the lexicographic solve, the run-out past the plan's last year
(``workforce/horizon.py``), the HiGHS options, and — for a what-if — a
``name`` and ``[[adjust]]`` tables that change the validated data
(``workforce/scenarios``).  Every key is checked; an unknown key or a value
of the wrong type is an error naming the file and the key.  A file may begin
with ``extends = "base.toml"`` (relative to itself; with no base.toml beside
it, the package's default policy) and override only what it changes; chains are followed and cycles refused.  Along a chain the tables
are merged key by key, the last ``name`` given wins, and the adjustments of
every file apply in order, the outermost base's first.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from workforce.horizon import AUTO
from workforce.scenarios.adjustment import ADJUST, Adjustment, parse_adjustments

# The default policy ships inside the package (a wheel install has no models/ folder); models/base.toml is the
# same file for users to read and extend (tests/test_package_data.py keeps the two identical).
DEFAULT_SCENARIO = Path(__file__).resolve().parent / "defaults" / "base.toml"

METHODS = ("choose", "simplex", "ipm")
MAX_RUN_OUT_YEARS = 20
PRESOLVE = ("on", "off", "choose")
NAME = "name"
NAME_MAX_LENGTH = 100


class ScenarioError(Exception):
    """A scenario file cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class SolverOptions:
    """HiGHS options (names as recorded in the plan)."""

    method: str = "choose"
    threads: int = 1
    time_limit_s: float = 600.0
    presolve: str = "on"
    random_seed: int = 0
    primal_feasibility_tolerance: float = 1e-7
    dual_feasibility_tolerance: float = 1e-7

    def as_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "threads": self.threads,
            "time_limit_s": self.time_limit_s,
            "presolve": self.presolve,
            "random_seed": self.random_seed,
            "primal_feasibility_tolerance": self.primal_feasibility_tolerance,
            "dual_feasibility_tolerance": self.dual_feasibility_tolerance,
        }


@dataclass(frozen=True)
class Scenario:
    """Validated policy settings, plus where they came from."""

    target_weight: float = 10.0
    relative_tolerance: float = 1e-7
    absolute_tolerance: float = 1e-6
    solver: SolverOptions = SolverOptions()
    run_out_years: int | str = 5  # a whole number >= 0, or "auto" (see workforce/horizon.py)
    path: str = ""
    text: str = ""  # the files' content, outermost last, for provenance
    name: str = ""  # the what-if's name, as its file gives it ("" when no file does)
    adjustments: tuple[Adjustment, ...] = ()  # changes to the validated data, in order (workforce/scenarios)

    @property
    def label(self) -> str:
        """The scenario's name, or its file's name without ``.toml`` when no file gives one."""
        return self.name or Path(self.path).stem


# (table, key) -> (type, check, what is expected)
_NUMBER = (int, float)
_SCHEMA: dict[str, dict[str, tuple[tuple[type, ...], str]]] = {
    "horizon": {
        "run_out_years": ((int, str), f"a whole number from 0 to {MAX_RUN_OUT_YEARS}, or \"auto\""),
    },
    "objective": {
        "target_weight": (_NUMBER, "a number of at least 0"),
        "relative_tolerance": (_NUMBER, "a number from 0 to 0.01"),
        "absolute_tolerance": (_NUMBER, "a number from 0 to 1"),
    },
    "solver": {
        "method": ((str,), "one of " + ", ".join(METHODS)),
        "threads": ((int,), "a whole number of at least 1"),
        "time_limit_s": (_NUMBER, "a number of seconds greater than 0"),
        "presolve": ((str,), "one of " + ", ".join(PRESOLVE)),
        "random_seed": ((int,), "a whole number of at least 0"),
        "primal_feasibility_tolerance": (_NUMBER, "a number from 1e-10 to 1e-4"),
        "dual_feasibility_tolerance": (_NUMBER, "a number from 1e-10 to 1e-4"),
    },
}


def _in_range(table: str, key: str, value: object) -> bool:
    checks: dict[tuple[str, str], bool] = {
        ("horizon", "run_out_years"): value == AUTO or (isinstance(value, int) and 0 <= value <= MAX_RUN_OUT_YEARS),
        ("objective", "target_weight"): isinstance(value, _NUMBER) and value >= 0,
        ("objective", "relative_tolerance"): isinstance(value, _NUMBER) and 0 <= value <= 0.01,
        ("objective", "absolute_tolerance"): isinstance(value, _NUMBER) and 0 <= value <= 1,
        ("solver", "method"): value in METHODS,
        ("solver", "threads"): isinstance(value, int) and value >= 1,
        ("solver", "time_limit_s"): isinstance(value, _NUMBER) and value > 0,
        ("solver", "presolve"): value in PRESOLVE,
        ("solver", "random_seed"): isinstance(value, int) and value >= 0,
        ("solver", "primal_feasibility_tolerance"): isinstance(value, _NUMBER) and 1e-10 <= value <= 1e-4,
        ("solver", "dual_feasibility_tolerance"): isinstance(value, _NUMBER) and 1e-10 <= value <= 1e-4,
    }
    return checks[(table, key)]


def _read_chain(path: Path, seen: tuple[Path, ...]) -> list[tuple[Path, dict[str, object], str]]:
    """The files from the outermost base to ``path``, each parsed."""
    resolved = path.resolve()
    if resolved in seen:
        raise ScenarioError([f"{path}: 'extends' goes round in a circle ({' → '.join(p.name for p in seen)})"])
    try:
        text = resolved.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError([f"{path}: cannot read the scenario file ({exc.strerror or exc})"]) from exc
    try:
        content = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{path}: not valid TOML ({exc})"]) from exc
    parent = content.pop("extends", None)
    if parent is None:
        return [(resolved, content, text)]
    if not isinstance(parent, str):
        raise ScenarioError([f"{path}: 'extends' must be a file name in quotes"])
    extended = resolved.parent / parent
    if parent == DEFAULT_SCENARIO.name and not extended.exists():
        extended = DEFAULT_SCENARIO  # a user's own what-if, in a folder with no base.toml: the packaged default policy
    if not extended.is_file():
        raise ScenarioError([f"{path}: extends \"{parent}\", which cannot be read at {extended} (there is no such "
                             "file); give its path from this file's folder, or a full path"])
    base = _read_chain(extended, seen + (resolved,))
    return base + [(resolved, content, text)]


def _check(path: Path, content: dict[str, object]) -> list[str]:
    problems: list[str] = []
    for table, values in content.items():
        if table == NAME:
            if not isinstance(values, str) or not values.strip() or len(values) > NAME_MAX_LENGTH:
                problems.append(f"{path}: 'name' is {values!r}; expected the scenario's name in quotes, at most "
                                f"{NAME_MAX_LENGTH} characters")
            continue
        if table == ADJUST:
            if not isinstance(values, list):
                problems.append(f"{path}: 'adjust' must be tables written [[adjust]]")
            continue
        if table not in _SCHEMA:
            problems.append(f"{path}: unknown table or key '{table}' (expected one of: extends, name, [[adjust]], "
                            + ", ".join(f"[{t}]" for t in _SCHEMA) + ")")
            continue
        if not isinstance(values, dict):
            problems.append(f"{path}: '{table}' must be a table, written [{table}]")
            continue
        for key, value in values.items():
            if key not in _SCHEMA[table]:
                problems.append(f"{path}: unknown key '{table}.{key}' (expected one of: "
                                + ", ".join(_SCHEMA[table]) + ")")
                continue
            types, expected = _SCHEMA[table][key]
            if isinstance(value, bool) or not isinstance(value, types) or not _in_range(table, key, value):
                problems.append(f"{path}: '{table}.{key}' is {value!r}; expected {expected}")
    return problems


def load_scenario(path: Path | None = None) -> Scenario:
    """Read and validate a scenario file (default: the packaged copy of ``models/base.toml``)."""
    chosen = path if path is not None else DEFAULT_SCENARIO
    chain = _read_chain(chosen, ())
    problems: list[str] = []
    merged: dict[str, dict[str, object]] = {table: {} for table in _SCHEMA}
    name = ""
    entries: list[tuple[str, object]] = []
    for file_path, content, _ in chain:
        problems.extend(_check(file_path, content))
        for table, values in content.items():
            if table in _SCHEMA and isinstance(values, dict):
                merged[table].update(values)
        if isinstance(content.get(NAME), str):
            name = str(content[NAME]).strip()
        if isinstance(content.get(ADJUST), list):
            entries += [(str(file_path), raw) for raw in content[ADJUST]]  # type: ignore[union-attr]
    adjustments, more = parse_adjustments(entries, name or chosen.stem)
    problems += more
    if problems:
        raise ScenarioError(problems)
    objective = merged["objective"]
    horizon = merged["horizon"]
    solver = SolverOptions(**{k: v for k, v in merged["solver"].items()})  # keys checked above
    text = "\n".join(f"# --- {p.name} ---\n{t}" for p, _, t in chain)
    return Scenario(
        target_weight=float(objective.get("target_weight", 10.0)),
        relative_tolerance=float(objective.get("relative_tolerance", 1e-7)),
        absolute_tolerance=float(objective.get("absolute_tolerance", 1e-6)),
        solver=SolverOptions(
            method=solver.method,
            threads=solver.threads,
            time_limit_s=float(solver.time_limit_s),
            presolve=solver.presolve,
            random_seed=solver.random_seed,
            primal_feasibility_tolerance=float(solver.primal_feasibility_tolerance),
            dual_feasibility_tolerance=float(solver.dual_feasibility_tolerance),
        ),
        run_out_years=horizon.get("run_out_years", 5),  # type: ignore[arg-type]
        path=str(chosen),
        text=text,
        name=name,
        adjustments=adjustments,
    )
