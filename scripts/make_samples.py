"""Generate one realistic sample workbook per ICS, deterministically.

    python scripts/make_samples.py [--out inputs] [--reference workforce/reference/ics.csv]

Writes ``inputs/<ODS code>-<short name>.xlsx`` for each of the 42 ICSs in
``workforce/reference/ics.csv`` (the package's copy of ``shared/reference/ics.csv``) and the blank ``inputs/template/workforce-template.xlsx``
(in a folder of its own, so that a roll-up over ``inputs/`` sees only ICS workbooks).  Staff are
national figures scaled by resident population; rates and costs come from
``shared/reference/workforce_facts.md`` — each assumption below quotes the
line it uses (``facts:``) or says plainly that it is an assumption.  The only
randomness is a ±10% local variation drawn from a generator seeded by the ODS
code, so the same reference file always gives byte-identical workbooks.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workforce.inputs.schema import year_label  # noqa: E402
from workforce.inputs.template import write_blank_template, write_input_workbook  # noqa: E402
from workforce.reference import REFERENCE_ICS_CSV  # noqa: E402

FIRST_YEAR = 2026
HORIZON_YEARS = 5
ENGLAND_POPULATION = 56_550_138  # shared/reference/README.md: the 42 ICB totals add to 56,550,138 (ONS mid-2020)

# ---- Staff, national FTE ---------------------------------------------------------------------
# facts: "Nurses, FTE | over 316,000 HCHS nurses" (Sep 2022, DHSC written ministerial statement)
NURSES_FTE = 316_000
# facts: "Doctors, FTE | over 131,000 HCHS (hospital) doctors" (Sep 2022, same statement)
DOCTORS_FTE = 131_000
# facts: "AHPs, FTE | 81,795" (Oct 2021, PQ answer 21 Feb 2022)
AHPS_FTE = 81_795
# facts: "Support to clinical staff (HCAs/HCSWs) | not found for 2022 ... latest figure seen was 309,000 FTE
# in Sep 2016". Assumption: we use 300,000 FTE as an order of magnitude.
HCSW_FTE = 300_000
# facts: "ASC filled posts | 1.62 million" (2021/22, Skills for Care).  Assumption: 0.75 FTE per post.
ASC_FILLED_POSTS = 1_620_000
ASC_FTE_PER_POST = 0.75

# ---- Vacancy rates ----------------------------------------------------------------------------
# facts: "Vacancies, nursing | 46,828 FTE, 11.8%" (30 Jun 2022)
NURSE_VACANCY = 0.118
# facts: "Vacancies, medical | 7.3%" (30 Jun 2022)
DOCTOR_VACANCY = 0.073
# facts: "NHS vacancies, all staff | 132,139 FTE, 9.7%" (30 Jun 2022) — used for AHPs and HCSWs, whose own
# rates were "not found".
NHS_VACANCY = 0.097
# facts: "Vacancies, London | 30,506 FTE, 12.5%" — London ICSs scale NHS rates by 12.5 / 9.7.
LONDON_FACTOR = 0.125 / 0.097
# facts: "ASC, next year | ... vacancy rate 9.9%" (2022/23, Skills for Care)
ASC_VACANCY = 0.099

# ---- Leaver rates -----------------------------------------------------------------------------
# facts: "Nurses: 40,365 left active NHS service in the year to June 2022, a leaver rate of 11.5%"
NURSE_LEAVER = 0.115
# facts: "Leaver rate, doctors excluding trainees | 4,350 leavers, 6.3%" (Sep 2020 – Sep 2021)
DOCTOR_LEAVER = 0.063
# facts: "Leaver rate, all staff | about 140,000 leavers, about 11%" — used for AHPs; HCSWs (rate "not found")
# assumed 1.2 x that.
ALL_STAFF_LEAVER = 0.11
HCSW_LEAVER = 0.11 * 1.2
# facts: "ASC turnover | 29%" (2021/22) and "390,000 leavers, about a third leaving the sector" (2022/23).
# Assumption: an ICS loses a third to other sectors and a further third to providers outside its area.
ASC_LEAVER = 0.29 * 2 / 3
# facts: "turnover 48.7% where none of five retention factors apply vs 20.6% where all apply".
# Assumption: new starters in social care leave at 1.3 x the leaver rate within their first year.
ASC_NEW_STARTER_FACTOR = 1.3

# ---- Pay (salary_cost includes on-costs) ------------------------------------------------------
NHS_ON_COSTS = 1.25  # assumption: employer pension and National Insurance add about 25%
ASC_ON_COSTS = 1.15  # assumption: lower employer pension contributions in independent providers
# facts: Agenda for Change 2024/25 "Band 5 | £29,970 | £32,324 | £36,483" — step 2 for registered nurses
BAND5_GBP = 32_324
# facts: "Band 6 | £37,338 | £39,405 | £44,962" — step 2 for AHPs
BAND6_GBP = 39_405
# facts: "Band 3 | £24,071 | | £25,674" — top of band for healthcare support workers
BAND3_GBP = 25_674
DOCTOR_BASIC_GBP = 90_000  # assumption: no doctors' pay line in the facts file
# facts: "median £12.00/hr in December 2024; senior care worker £12.75" — 37.5 hours x 52 weeks
HOURS_PER_YEAR = 37.5 * 52
CARE_WORKER_GBP = 12.00 * HOURS_PER_YEAR
SENIOR_CARE_WORKER_GBP = 12.75 * HOURS_PER_YEAR

# ---- Agency, targets, demand growth -----------------------------------------------------------
# facts: "from 1 April 2016, hourly rates capped at 55% above basic pay"
NHS_AGENCY_PREMIUM = 0.55
ASC_AGENCY_PREMIUM = 0.30  # assumption
NHS_AGENCY_MAX_SHARE = 0.08  # assumption (2025/26 guidance: "cut temporary staffing >=30%")
ASC_AGENCY_MAX_SHARE = 0.05  # assumption
NHS_VACANCY_TARGET = 0.05  # assumption: half the June 2022 all-staff rate
# facts: "2024/25: ... vacancy rate 7.0%" (adult social care) — used as the social care target
ASC_VACANCY_TARGET = 0.07
# facts: "LTWP productivity assumption: 1.5–2% a year" offsets demand growth; assumption: NHS demand +2% a year
NHS_DEMAND_GROWTH = 0.02
# facts: "need about 470,000 more posts by 2040" on 1.71m posts (2024/25): (2.18/1.71)^(1/16) - 1 = 1.5% a year
ASC_DEMAND_GROWTH = (2.18 / 1.71) ** (1 / 16) - 1

# ---- Recruitment and retention costs ----------------------------------------------------------
# facts: "Cost per international nurse: about £10,000–£12,000 upfront" (Nuffield Trust 2021)
INTERNATIONAL_NURSE_GBP = 11_000
INTERNATIONAL_CARE_GBP = 6_000  # assumption: visa sponsorship without NMC registration costs
# facts: "£12,000 = cost of replacing a fully-trained nurse" — retention costs stay well below it
FLEXIBLE_WORKING_GBP = 3_000  # assumption ("Cost: not found" in the facts)
WELLBEING_GBP = 2_000  # assumption
NURSE_RETENTION_PAYMENT_GBP = 6_000  # assumption
CARE_RETENTION_PAYMENT_GBP = 2_500  # assumption
# facts: "leaver rates fell 11.8% more than in non-exemplar trusts" (People Promise exemplars)
FLEXIBLE_WORKING_REDUCTION = 0.118
# facts: "at least £26,000 per nurse undergraduate training post; the course takes about 3 years"
NURSE_TRAINING_GBP = 26_000
NURSE_TRAINING_YEARS = 3


@dataclass(frozen=True)
class RoleSpec:
    sector: str
    staff_group: str
    national_fte: float
    vacancy: float
    leaver: float
    salary_gbp: float
    nhs: bool
    priority: float = 1.0


def role_specs() -> list[RoleSpec]:
    asc_fte = ASC_FILLED_POSTS * ASC_FTE_PER_POST
    # Assumed shares: nurses 65/15/20 acute/mental health/community; AHPs 60/40 acute/community; HCSWs 60/20/20;
    # social care 45% residential, 55% domiciliary; care workers 70%, seniors 10%, nurses 2% of posts.
    return [
        RoleSpec("Acute", "Registered nurses", NURSES_FTE * 0.65, NURSE_VACANCY, NURSE_LEAVER,
                 BAND5_GBP * NHS_ON_COSTS, True, 1.5),
        RoleSpec("Acute", "Doctors", DOCTORS_FTE, DOCTOR_VACANCY, DOCTOR_LEAVER, DOCTOR_BASIC_GBP * NHS_ON_COSTS,
                 True, 1.5),
        RoleSpec("Acute", "Allied health professionals", AHPS_FTE * 0.6, NHS_VACANCY, ALL_STAFF_LEAVER,
                 BAND6_GBP * NHS_ON_COSTS, True),
        RoleSpec("Acute", "Healthcare support workers", HCSW_FTE * 0.6, NHS_VACANCY, HCSW_LEAVER,
                 BAND3_GBP * NHS_ON_COSTS, True),
        RoleSpec("Mental health", "Registered nurses", NURSES_FTE * 0.15, NURSE_VACANCY, NURSE_LEAVER,
                 BAND5_GBP * NHS_ON_COSTS, True, 1.5),
        RoleSpec("Mental health", "Healthcare support workers", HCSW_FTE * 0.2, NHS_VACANCY, HCSW_LEAVER,
                 BAND3_GBP * NHS_ON_COSTS, True),
        RoleSpec("Community", "Registered nurses", NURSES_FTE * 0.2, NURSE_VACANCY, NURSE_LEAVER,
                 BAND5_GBP * NHS_ON_COSTS, True, 1.5),
        RoleSpec("Community", "Allied health professionals", AHPS_FTE * 0.4, NHS_VACANCY, ALL_STAFF_LEAVER,
                 BAND6_GBP * NHS_ON_COSTS, True),
        RoleSpec("Community", "Healthcare support workers", HCSW_FTE * 0.2, NHS_VACANCY, HCSW_LEAVER,
                 BAND3_GBP * NHS_ON_COSTS, True),
        RoleSpec("Social care residential", "Care workers", asc_fte * 0.45 * 0.70, ASC_VACANCY, ASC_LEAVER,
                 CARE_WORKER_GBP * ASC_ON_COSTS, False),
        RoleSpec("Social care residential", "Senior care workers", asc_fte * 0.45 * 0.10, ASC_VACANCY, ASC_LEAVER,
                 SENIOR_CARE_WORKER_GBP * ASC_ON_COSTS, False),
        RoleSpec("Social care residential", "Registered nurses", asc_fte * 0.45 * 0.02 / 0.45 * 1.0, ASC_VACANCY,
                 ASC_LEAVER, BAND5_GBP * ASC_ON_COSTS, False, 1.5),
        RoleSpec("Social care domiciliary", "Care workers", asc_fte * 0.55 * 0.70, ASC_VACANCY, ASC_LEAVER,
                 CARE_WORKER_GBP * ASC_ON_COSTS, False),
        RoleSpec("Social care domiciliary", "Senior care workers", asc_fte * 0.55 * 0.10, ASC_VACANCY, ASC_LEAVER,
                 SENIOR_CARE_WORKER_GBP * ASC_ON_COSTS, False),
    ]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _round(value: float, places: int = 1) -> float:
    return round(value, places)


def workbook_tables(ics: dict[str, str], index: int) -> tuple[dict[str, object], dict[str, list[dict[str, object]]]]:
    """ICS fields and sheet records for one ICS (``index`` = its position in ics.csv)."""
    rng = random.Random(zlib.crc32(ics["ods_code"].encode()))
    scale = int(ics["population"]) / ENGLAND_POPULATION
    london = ics["region"] == "London"
    short = ics["ics_short_name"]
    trusts, councils = f"{short} NHS trusts", f"{short} councils (adult social care)"
    years = [year_label(FIRST_YEAR + k) for k in range(HORIZON_YEARS)]

    def vary() -> float:
        return rng.uniform(0.9, 1.1)

    workforce, demand, recruitment, retention, pipeline = [], [], [], [], []
    staff_cost = {trusts: 0.0, councils: 0.0}
    staff_of: dict[tuple[str, str], float] = {}
    for spec in role_specs():
        staff = _round(spec.national_fte * scale * vary())
        vacancy = min(0.3, spec.vacancy * (LONDON_FACTOR if london and spec.nhs else 1.0) * vary())
        leaver = round(spec.leaver * vary(), 4)
        holder = trusts if spec.nhs else councils
        staff_of[(spec.sector, spec.staff_group)] = staff
        staff_cost[holder] += staff * spec.salary_gbp
        workforce.append({
            "sector": spec.sector, "staff_group": spec.staff_group, "budget_holder": holder,
            "staff_in_post_fte": staff, "leaver_rate": leaver,
            "new_starter_leaver_rate": None if spec.nhs else round(min(0.95, leaver * ASC_NEW_STARTER_FACTOR), 4),
            "salary_cost": round(spec.salary_gbp), "agency_premium": NHS_AGENCY_PREMIUM if spec.nhs else ASC_AGENCY_PREMIUM,
            "agency_max_share": NHS_AGENCY_MAX_SHARE if spec.nhs else ASC_AGENCY_MAX_SHARE,
            "vacancy_target": NHS_VACANCY_TARGET if spec.nhs else ASC_VACANCY_TARGET, "priority": spec.priority,
        })
        growth = NHS_DEMAND_GROWTH if spec.nhs else ASC_DEMAND_GROWTH
        first = staff / (1.0 - vacancy)
        demand.append({"sector": spec.sector, "staff_group": spec.staff_group,
                       **{label: _round(first * (1 + growth) ** k) for k, label in enumerate(years)}})
        recruitment.append({"channel": "Domestic", "sector": spec.sector, "staff_group": spec.staff_group,
                            "cost_per_hire": 3_000 if spec.priority > 1 else 1_000,  # assumption
                            # assumption: local labour markets can replace this year's leavers plus 3% of staff
                            "max_hires_per_year": _round(staff * (leaver + 0.03)), "lead_time_years": 0})
        if spec.staff_group in ("Registered nurses", "Doctors", "Care workers", "Senior care workers"):
            cost = INTERNATIONAL_NURSE_GBP if spec.nhs or spec.staff_group == "Registered nurses" else INTERNATIONAL_CARE_GBP
            recruitment.append({"channel": "International", "sector": spec.sector, "staff_group": spec.staff_group,
                                "cost_per_hire": cost, "max_hires_per_year": _round(staff * 0.03),
                                "lead_time_years": 1})
        if spec.nhs and spec.staff_group in ("Registered nurses", "Allied health professionals"):
            recruitment.append({"channel": "Newly qualified", "sector": spec.sector, "staff_group": spec.staff_group,
                                "cost_per_hire": 1_000, "max_hires_per_year": _round(staff * 0.05),
                                "lead_time_years": 0})
        if spec.nhs and spec.staff_group == "Registered nurses" and spec.sector != "Mental health":
            recruitment.append({"channel": "Return to practice", "sector": spec.sector,
                                "staff_group": spec.staff_group, "cost_per_hire": 4_000,
                                "max_hires_per_year": _round(staff * 0.01), "lead_time_years": 0})
        if spec.nhs:
            retention.append({"lever": "Wellbeing", "sector": spec.sector, "staff_group": spec.staff_group,
                              "cost_per_fte_retained": WELLBEING_GBP, "max_leaver_reduction": 0.05})
        if spec.nhs and spec.staff_group in ("Registered nurses", "Healthcare support workers"):
            retention.append({"lever": "Flexible working", "sector": spec.sector, "staff_group": spec.staff_group,
                              "cost_per_fte_retained": FLEXIBLE_WORKING_GBP,
                              "max_leaver_reduction": FLEXIBLE_WORKING_REDUCTION})
        if spec.staff_group == "Registered nurses" and spec.nhs:
            retention.append({"lever": "Retention payment", "sector": spec.sector, "staff_group": spec.staff_group,
                              "cost_per_fte_retained": NURSE_RETENTION_PAYMENT_GBP, "max_leaver_reduction": 0.08})
        if not spec.nhs and spec.staff_group in ("Care workers", "Senior care workers"):
            retention.append({"lever": "Retention payment", "sector": spec.sector, "staff_group": spec.staff_group,
                              "cost_per_fte_retained": CARE_RETENTION_PAYMENT_GBP, "max_leaver_reduction": 0.10})
        if spec.nhs and spec.staff_group == "Registered nurses" and spec.sector != "Mental health":
            # assumption: newly qualified nurses with offers: 2% then 1% of staff in post
            pipeline.append({"sector": spec.sector, "staff_group": spec.staff_group,
                             years[0]: _round(staff * 0.02), years[1]: _round(staff * 0.01)})

    deployment = [  # assumption: "one workforce" sharing agreements (facts: LTWP tells ICBs to prioritise it)
        {"from_sector": "Community", "from_staff_group": "Registered nurses", "to_sector": "Social care residential",
         "to_staff_group": "Registered nurses", "max_share": 0.03, "cost_per_fte": 2_000, "efficiency": 0.85},
        {"from_sector": "Acute", "from_staff_group": "Healthcare support workers",
         "to_sector": "Social care domiciliary", "to_staff_group": "Care workers", "max_share": 0.02,
         "cost_per_fte": 1_500, "efficiency": 0.8},
        {"from_sector": "Community", "from_staff_group": "Healthcare support workers",
         "to_sector": "Social care domiciliary", "to_staff_group": "Care workers", "max_share": 0.03,
         "cost_per_fte": 1_500, "efficiency": 0.85},
    ]
    training = [
        {"route": "Nursing degree apprenticeship", "sector": "Acute", "from_staff_group": "Healthcare support workers",
         "to_staff_group": "Registered nurses", "duration_years": NURSE_TRAINING_YEARS,
         "cost_per_start": NURSE_TRAINING_GBP, "max_starts_per_year": _round(staff_of[("Acute", "Healthcare support workers")] * 0.02),
         "completion_rate": 0.8, "work_contribution": 0.4},  # assumptions: completion 80%, 40% of time at work
        {"route": "Nursing associate", "sector": "Mental health", "from_staff_group": "Healthcare support workers",
         "to_staff_group": "Registered nurses", "duration_years": 2, "cost_per_start": 15_000,
         "max_starts_per_year": _round(staff_of[("Mental health", "Healthcare support workers")] * 0.02),
         "completion_rate": 0.85, "work_contribution": 0.5},  # assumption
        {"route": "Senior care worker development", "sector": "Social care residential",
         "from_staff_group": "Care workers", "to_staff_group": "Senior care workers", "duration_years": 1,
         "cost_per_start": 1_500, "max_starts_per_year": _round(staff_of[("Social care residential", "Care workers")] * 0.03),
         "completion_rate": 0.9, "work_contribution": 0.8},  # assumption
    ]
    # Assumption: budgets are today's staff cost times a margin that differs by ICS, rising 3% a year, so that
    # budgets bind (too little to fill vacancies) in some ICSs and not in others; every seventh ICS is in deficit
    # (its budget cannot even pay the staff who stay, so the plan must report overspend).
    margin = -0.15 if index % 7 == 3 else (-0.02, 0.04, 0.10, 0.16)[index % 4]
    budget = [{"budget_holder": holder, **{label: float(round(cost * (1 + margin) * 1.03 ** k, -3))
                                           for k, label in enumerate(years)}}
              for holder, cost in staff_cost.items()]
    fields = {"ics_code": ics["ods_code"], "ics_name": ics["icb_name"],
              "pooled_budget_share": 0.05 if index % 3 == 0 else 0.0}
    tables = {"Workforce": workforce, "Demand": demand, "Recruitment": recruitment, "Retention": retention,
              "Deployment": deployment, "Training": training, "Budget": budget, "Pipeline": pipeline}
    return fields, tables


def make_samples(out_dir: Path, reference_csv: Path, only: set[str] | None = None) -> list[Path]:
    """Write the sample workbooks (and the template) into ``out_dir``; returns the ICS workbooks written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with reference_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    written = []
    for index, ics in enumerate(rows):
        if only is not None and ics["ods_code"] not in only:
            continue
        fields, tables = workbook_tables(ics, index)
        path = out_dir / f"{ics['ods_code']}-{slug(ics['ics_short_name'])}.xlsx"
        write_input_workbook(path, tables, ics_fields=fields, first_year=FIRST_YEAR, horizon_years=HORIZON_YEARS,
                             overwrite=True)
        written.append(path)
    if only is None:
        (out_dir / "template").mkdir(exist_ok=True)
        write_blank_template(out_dir / "template" / "workforce-template.xlsx", overwrite=True)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "inputs")
    parser.add_argument("--reference", type=Path, default=REFERENCE_ICS_CSV)
    args = parser.parse_args()
    written = make_samples(args.out, args.reference)
    print(f"{len(written)} sample workbooks and the template written to {args.out}")


if __name__ == "__main__":
    main()
