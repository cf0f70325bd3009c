"""The realistic national case for the benchmarks: 42 ICS workbooks of 30 roles × 10 years, and national limits
that bind.

    .venv/bin/python benchmarks/national_case.py OUT_DIR [--ics 42] [--roles 30] [--years 10]

Writes ``OUT_DIR/inputs/<ODS code>.xlsx`` (one workbook per ICS of ``workforce/reference/ics.csv``, every
optional sheet used: Recruitment, Retention, Deployment, Training, Pipeline and a pooled budget share) and
``OUT_DIR/national.toml`` (international recruitment caps for registered nurses and for care workers, places
on the nursing degree apprenticeship and a national workforce fund, one value per year).

Deterministic: the only randomness is a ±10% local variation drawn from a generator seeded by the ODS code,
so the same arguments always give the same workbooks.  Staff are national orders of magnitude scaled by the
ICS's resident population (the same sources as ``scripts/make_samples.py``, more roles: six sectors of five
staff groups).  The national limits are set as shares of what the ICSs' own channels and routes could
supply (``CAP_SHARE``, ``PLACES_SHARE``) and of the gap between their budgets and what meeting demand costs
(``FUND_SHARE``), chosen so that most limit-years bind (``bench_national.py`` reports how many do).
"""

from __future__ import annotations

import argparse
import random
import sys
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workforce.data import (  # noqa: E402
    DeploymentRoute,
    ModelData,
    RecruitmentChannel,
    RetentionLever,
    Role,
    RoleKey,
    TrainingRoute,
)
from workforce.inputs.template import write_model_data  # noqa: E402
from workforce.reference import reference_ics  # noqa: E402

FIRST_YEAR = 2026
ENGLAND_POPULATION = 56_550_138
NHS_ON_COSTS, ASC_ON_COSTS = 1.25, 1.15
NHS_GROWTH, ASC_GROWTH = 0.02, 0.015  # demand growth a year
BUDGET_GROWTH = 0.025  # budgets grow a little more slowly than the cost of meeting demand
POOLED_SHARE = 0.05

# National limits as shares of what the ICSs could do on their own (see the module docstring).
CAP_SHARE = 0.45  # of the sum of the ICSs' international channel caps
PLACES_SHARE = 0.05  # of the sum of the ICSs' nursing degree apprenticeship start caps
FUND_SHARE = 0.002  # of the ICSs' total budgets in a year (about £150m, as in models/national.toml)

INTERNATIONAL = "International"
SHORTAGE_GROUPS = ("Registered nurses", "Care workers", "Senior care workers")
NURSING_DEGREE = "Nursing degree apprenticeship"

NHS_SECTORS = ("Acute", "Community", "Mental health", "Primary care")
ASC_SECTORS = ("Social care residential", "Social care domiciliary")
NHS_GROUPS = ("Registered nurses", "Healthcare support workers", "Allied health professionals", "Doctors",
              "Nursing associates")
ASC_GROUPS = ("Care workers", "Senior care workers", "Registered nurses", "Registered managers",
              "Support and outreach workers")
HOLDERS = {"Acute": "Acute trusts", "Community": "Community and mental health trusts",
           "Mental health": "Community and mental health trusts", "Primary care": "Primary care networks",
           "Social care residential": "Councils (adult social care)",
           "Social care domiciliary": "Councils (adult social care)"}


@dataclass(frozen=True)
class RoleSpec:
    """National FTE per million residents, salary (before on-costs), vacancy and leaver rates."""

    fte_per_million: float
    salary_gbp: float
    vacancy: float
    leaver: float
    priority: float = 1.0


# Orders of magnitude from shared/reference/workforce_facts.md (as in scripts/make_samples.py); the split
# between sectors is an assumption.
NHS_ROLES = {
    "Registered nurses": RoleSpec(5_600, 32_324, 0.118, 0.115, 1.5),
    "Healthcare support workers": RoleSpec(5_300, 25_674, 0.097, 0.132),
    "Allied health professionals": RoleSpec(1_450, 39_405, 0.097, 0.11),
    "Doctors": RoleSpec(2_300, 90_000, 0.073, 0.063, 1.5),
    "Nursing associates": RoleSpec(300, 28_000, 0.097, 0.11),
}
NHS_SECTOR_SHARE = {"Acute": 0.55, "Community": 0.15, "Mental health": 0.18, "Primary care": 0.12}
ASC_ROLES = {
    "Care workers": RoleSpec(14_000, 23_400, 0.099, 0.193),
    "Senior care workers": RoleSpec(2_400, 24_863, 0.099, 0.193),
    "Registered nurses": RoleSpec(600, 32_324, 0.12, 0.2, 1.5),
    "Registered managers": RoleSpec(450, 38_000, 0.11, 0.15),
    "Support and outreach workers": RoleSpec(1_800, 22_000, 0.099, 0.2),
}
ASC_SECTOR_SHARE = {"Social care residential": 0.45, "Social care domiciliary": 0.55}

# Training routes within a sector: (route, from group, to group, years, £ a start, completion, work while training)
NHS_TRAINING = ((NURSING_DEGREE, "Healthcare support workers", "Registered nurses", 3, 9_000, 0.8, 0.5),
                ("Nursing associate", "Healthcare support workers", "Nursing associates", 2, 15_000,
                 0.85, 0.6))
ACUTE_TRAINING = (("AHP degree apprenticeship", "Healthcare support workers", "Allied health professionals", 3,
                   24_000, 0.8, 0.5),)
ASC_TRAINING = (("Senior carer progression", "Care workers", "Senior care workers", 1, 1_500, 0.9, 0.8),
                ("Registered manager programme", "Senior care workers", "Registered managers", 1, 4_000, 0.85, 0.7))
RESIDENTIAL_TRAINING = ((NURSING_DEGREE, "Senior care workers", "Registered nurses", 3, 9_000, 0.75, 0.5),)

# "One workforce" deployment: (from sector, from group, to sector, to group, max share, £ an FTE-year, efficiency)
DEPLOYMENT = (
    ("Acute", "Healthcare support workers", "Social care residential", "Care workers", 0.03, 1_500, 0.8),
    ("Community", "Healthcare support workers", "Social care domiciliary", "Care workers", 0.05, 1_500, 0.85),
    ("Acute", "Registered nurses", "Community", "Registered nurses", 0.03, 1_000, 0.9),
    ("Community", "Registered nurses", "Social care residential", "Registered nurses", 0.03, 2_000, 0.9),
    ("Mental health", "Healthcare support workers", "Social care domiciliary", "Support and outreach workers", 0.04,
     1_000, 0.8),
    ("Acute", "Allied health professionals", "Community", "Allied health professionals", 0.05, 1_000, 0.95),
    ("Acute", "Doctors", "Primary care", "Doctors", 0.02, 3_000, 0.8),
    ("Primary care", "Nursing associates", "Community", "Nursing associates", 0.05, 500, 0.9),
    ("Social care residential", "Care workers", "Social care domiciliary", "Care workers", 0.05, 800, 0.9),
    ("Social care domiciliary", "Senior care workers", "Social care residential", "Senior care workers", 0.05, 800,
     0.9),
    ("Mental health", "Registered nurses", "Community", "Registered nurses", 0.03, 1_000, 0.85),
    ("Community", "Allied health professionals", "Social care residential", "Support and outreach workers", 0.03,
     1_000, 0.6),
)


def role_keys(roles: int) -> list[RoleKey]:
    """The first ``roles`` roles, alternating NHS and social care sectors so that a small case has both."""
    nhs = [(s, g) for g in NHS_GROUPS for s in NHS_SECTORS]
    asc = [(s, g) for g in ASC_GROUPS for s in ASC_SECTORS]
    ordered: list[RoleKey] = []
    while len(ordered) < roles and (nhs or asc):
        for pool, take in ((nhs, 2), (asc, 1)):
            for _ in range(take):
                if pool and len(ordered) < roles:
                    ordered.append(pool.pop(0))
    return ordered


def _spec(key: RoleKey) -> tuple[RoleSpec, bool]:
    sector, group = key
    if sector in NHS_SECTORS:
        return NHS_ROLES[group], True
    return ASC_ROLES[group], False


def _share(key: RoleKey) -> float:
    return NHS_SECTOR_SHARE.get(key[0]) or ASC_SECTOR_SHARE[key[0]]


def ics_data(code: str, name: str, population: int, roles: int = 30, horizon: int = 10) -> ModelData:
    """One ICS of the case: ``roles`` roles (six sectors × five staff groups at 30) over ``horizon`` years."""
    rng = random.Random(zlib.crc32(code.encode()))
    scale = population / 1_000_000

    def vary() -> float:
        return rng.uniform(0.9, 1.1)

    keys = role_keys(roles)
    present = set(keys)
    role_rows, demand, pipeline = [], {}, {}
    recruitment: list[RecruitmentChannel] = []
    retention: list[RetentionLever] = []
    for key in keys:
        spec, nhs = _spec(key)
        staff = round(spec.fte_per_million * _share(key) * scale * vary(), 1)
        on_costs = NHS_ON_COSTS if nhs else ASC_ON_COSTS
        leaver = round(spec.leaver * vary(), 4)
        vacancy = min(0.25, spec.vacancy * vary())
        role_rows.append(Role(sector=key[0], staff_group=key[1], budget_holder=HOLDERS[key[0]],
                              staff_in_post_fte=staff, leaver_rate=leaver,
                              new_starter_leaver_rate=round(min(0.5, leaver * (1.0 if nhs else 1.3)), 4),
                              salary_cost_gbp=float(round(spec.salary_gbp * on_costs)),
                              agency_premium=0.55 if nhs else 0.3, agency_max_share=0.08 if nhs else 0.05,
                              vacancy_target=0.05 if nhs else 0.07, priority=spec.priority))
        growth = NHS_GROWTH if nhs else ASC_GROWTH
        first = staff / (1.0 - vacancy)
        demand[key] = tuple(round(first * (1 + growth) ** y, 1) for y in range(horizon))
        committed = 0.02 if key[1] in ("Registered nurses", "Doctors", "Allied health professionals") else 0.0
        pipeline[key] = tuple(round(staff * committed * vary(), 1) if y < 3 else 0.0 for y in range(horizon))
        # Shortage groups cannot replace all their leavers from local labour markets (assumption).
        local = leaver * 0.6 if key[1] in SHORTAGE_GROUPS else leaver + 0.02
        recruitment.append(RecruitmentChannel(0, "Domestic", key, 3_000.0 if spec.priority > 1 else 1_000.0,
                                              round(staff * local, 1), 0))
        if key[1] in ("Registered nurses", "Doctors", "Care workers", "Senior care workers"):
            cost = 11_000.0 if key[1] in ("Registered nurses", "Doctors") else 6_000.0
            recruitment.append(RecruitmentChannel(0, INTERNATIONAL, key, cost, round(staff * 0.06, 1), 1))
        if nhs and key[1] in ("Registered nurses", "Allied health professionals", "Doctors"):
            recruitment.append(RecruitmentChannel(0, "Newly qualified", key, 1_000.0, round(staff * 0.04, 1), 0))
        if key[1] == "Registered nurses":
            recruitment.append(RecruitmentChannel(0, "Return to practice", key, 4_000.0, round(staff * 0.01, 1), 0))
        retention.append(RetentionLever(0, "Wellbeing", key, 2_000.0, round(0.05 * vary(), 4)))
        if key[1] in ("Registered nurses", "Healthcare support workers", "Care workers"):
            retention.append(RetentionLever(0, "Flexible working", key, 3_000.0, round(0.118 * vary(), 4)))
        if key[1] in ("Registered nurses", "Care workers", "Senior care workers"):
            retention.append(RetentionLever(0, "Retention payment", key, 6_000.0 if nhs else 2_500.0,
                                            round(0.08 * vary(), 4)))
    deployment = [DeploymentRoute(0, (fs, fg), (ts, tg), share, float(cost), eff)
                  for fs, fg, ts, tg, share, cost, eff in DEPLOYMENT if (fs, fg) in present and (ts, tg) in present]
    training = []
    for sector in NHS_SECTORS + ASC_SECTORS:
        routes = (NHS_TRAINING + (ACUTE_TRAINING if sector == "Acute" else ()) if sector in NHS_SECTORS else
                  ASC_TRAINING + (RESIDENTIAL_TRAINING if sector == "Social care residential" else ()))
        for route, source, target, years, cost, completion, work in routes:
            if (sector, source) in present and (sector, target) in present and years < horizon:
                staff_from = next(r.staff_in_post_fte for r in role_rows if r.key == (sector, source))
                training.append(TrainingRoute(0, route, (sector, source), (sector, target), years, float(cost),
                                              round(staff_from * 0.03, 1), completion, work))
    holders = tuple(dict.fromkeys(r.budget_holder for r in role_rows))
    factor = rng.uniform(0.97, 1.05)  # some ICSs start in deficit, some with room
    budget = {}
    for holder in holders:
        today = sum(r.staff_in_post_fte * r.salary_cost_gbp for r in role_rows if r.budget_holder == holder)
        budget[holder] = tuple(round(today * factor * (1 + BUDGET_GROWTH) ** y, -3) for y in range(horizon))
    return ModelData(ics_code=code, ics_name=name, first_year=FIRST_YEAR, horizon_years=horizon,
                     pooled_budget_share=POOLED_SHARE, roles=tuple(role_rows), budget_holders=holders,
                     demand_fte=demand, budget_gbp=budget, pipeline_fte=pipeline,
                     recruitment=_indexed(recruitment), retention=_indexed(retention),
                     deployment=_indexed(deployment), training=_indexed(training))


def _indexed(rows: list) -> tuple:
    return tuple(replace(row, index=i) for i, row in enumerate(rows))


def case_data(ics: int = 42, roles: int = 30, horizon: int = 10) -> list[ModelData]:
    """The first ``ics`` ICSs of the reference list, as :class:`ModelData`."""
    reference = sorted(reference_ics().values(), key=lambda r: r.code)[:ics]
    return [ics_data(r.code, r.name, r.population, roles, horizon) for r in reference]


def national_toml(datas: list[ModelData]) -> str:
    """National limits that bind: shares of what the ICSs could supply on their own, one value a year."""
    horizon = max(d.horizon_years for d in datas)

    def per_year(values: list[float]) -> str:
        return "[" + ", ".join(f"{v:.0f}" for v in values) + "]"

    def channel_total(group: str) -> float:
        return sum(c.max_hires_per_year_fte for d in datas for c in d.recruitment
                   if c.channel == INTERNATIONAL and c.role[1] == group)

    places = sum(k.max_starts_per_year_fte for d in datas for k in d.training if k.route == NURSING_DEGREE)
    budgets = [sum(sum(d.budget_gbp[h][y] for h in d.budget_holders) for d in datas) for y in range(horizon)]
    lines = [f"# The benchmark's national limits ({len(datas)} ICSs), written by benchmarks/national_case.py.",
             f"first_year = {FIRST_YEAR}", ""]
    for group in ("Registered nurses", "Care workers"):
        lines += ["[[recruitment_caps]]", f'channel = "{INTERNATIONAL}"', f'staff_group = "{group}"',
                  f"max_hires_fte = {per_year([channel_total(group) * CAP_SHARE] * horizon)}", ""]
    lines += ["[[training_places]]", f'route = "{NURSING_DEGREE}"',
              f"max_starts_fte = {per_year([places * PLACES_SHARE] * horizon)}", "",
              "[fund]", f"amount_gbp = {per_year([b * FUND_SHARE for b in budgets])}", ""]
    return "\n".join(lines)


def write_case(folder: Path, ics: int = 42, roles: int = 30, horizon: int = 10) -> tuple[Path, Path]:
    """Write the workbooks to ``folder/inputs`` and the limits to ``folder/national.toml``; returns both paths."""
    inputs = folder / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    datas = case_data(ics, roles, horizon)
    for d in datas:
        write_model_data(inputs / f"{d.ics_code}.xlsx", d, overwrite=True)
    national = folder / "national.toml"
    national.write_text(national_toml(datas), encoding="utf-8")
    return inputs, national


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--ics", type=int, default=42)
    parser.add_argument("--roles", type=int, default=30)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    inputs, national = write_case(args.out, args.ics, args.roles, args.years)
    print(f"{args.ics} workbooks in {inputs}; national limits in {national}")


if __name__ == "__main__":
    main()
