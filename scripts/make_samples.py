"""Generate one realistic sample workbook per ICS for plans starting in 2026/27, deterministically.

    python scripts/make_samples.py [--out inputs] [--reference workforce/reference/ics.csv]

Writes ``inputs/<ODS code>-<short name>.xlsx`` for each of the 42 ICSs in
``workforce/reference/ics.csv`` (the package's copy of ``shared/reference/ics.csv``) and the blank ``inputs/template/workforce-template.xlsx``
(in a folder of its own, so that a roll-up over ``inputs/`` sees only ICS workbooks).  Staff are
national figures scaled by resident population; rates and costs come from
``shared/reference/workforce_facts.md``, section "Update to 2024/25" where it has a figure — each
assumption below quotes the line it uses (``update:`` or ``facts:``) or says plainly that it is an
assumption.  Every sector, staff group, channel and route is a standard name (``workforce vocabulary``)
except the local route "Senior care worker development".  The only randomness is a ±10% local variation
drawn from a generator seeded by the ODS code, so the same reference file always gives byte-identical
workbooks.
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
from workforce.inputs.uncertainty import SUGGESTED  # noqa: E402
from workforce.reference import REFERENCE_ICS_CSV  # noqa: E402

FIRST_YEAR = 2026
HORIZON_YEARS = 5
ENGLAND_POPULATION = 56_550_138  # shared/reference/README.md: the 42 ICB totals add to 56,550,138 (ONS mid-2020)

# Figures come from the section "Update to 2024/25" of shared/reference/workforce_facts.md (quoted as
# "update: ...") where it has one; otherwise from the older rows of that file ("facts: ...", 2022 and
# before), or they are labelled as assumptions.

# ---- Staff, national FTE (the update has no staff counts: the latest counts in the facts are used) ---------
# facts: "Nurses, FTE | over 316,000 HCHS nurses" (Sep 2022, DHSC written ministerial statement)
NURSES_FTE = 316_000
# facts: "Doctors, FTE | over 131,000 HCHS (hospital) doctors" (Sep 2022, same statement)
DOCTORS_FTE = 131_000
# facts: "AHPs, FTE | 81,795" (Oct 2021, PQ answer 21 Feb 2022)
AHPS_FTE = 81_795
# facts: "Support to clinical staff (HCAs/HCSWs) | not found for 2022 ... latest figure seen was 309,000 FTE
# in Sep 2016". Assumption: we use 300,000 FTE as an order of magnitude.
HCSW_FTE = 300_000
# update: "Adult social care posts, filled, vacancies | 1.71m posts; 1.6m filled; 111,000 vacant, 7.0%"
# (2024/25).  Assumption: 0.75 FTE per filled post.
ASC_FILLED_POSTS = 1_600_000
ASC_FTE_PER_POST = 0.75

# ---- Vacancy rates ------------------------------------------------------------------------------------
# update: "Nurse vacancy rate | peak about 11% (2022/23) → 6.4%" (June 2025)
NURSE_VACANCY = 0.064
# update: "All-roles hospital vacancy rate | about 7%" (June 2025) — used for doctors, AHPs and support workers
NHS_VACANCY = 0.07
# update: "Regional spread of NHS vacancy | London just over 10% against South West 5.3% (about 2×)".
# Assumption: London at 1.4× the other regions' rate and the South West at 0.74× (1.4 / 0.74 = 1.9 = 10.1 / 5.3),
# scaled (by population) so that England's rate stays at the national figures above.
REGION_VACANCY_FACTOR = {"London": 1.4, "South West": 0.74}
# update: "Adult social care posts, filled, vacancies | ... 111,000 vacant, 7.0%" (2024/25)
ASC_VACANCY = 0.070

# ---- Leaver rates -------------------------------------------------------------------------------------
# update: "Nurse leaver rate | 11.5% → 9.9% → 8.8%" (Sep 2023 – Sep 2024, HL4444)
NURSE_LEAVER = 0.088
# update: "Consultant leaver rate | 6.0% → 5.3% → 4.9%" (same answer) — used for doctors, trainees excluded
DOCTOR_LEAVER = 0.049
# update: "HCHS leaver rate (left the NHS) | 12.5% → 10.1%" (year to Sep 2024) — used for AHPs; support workers
# (own rate "not found" in the facts) assumed 1.2 × that.
ALL_STAFF_LEAVER = 0.101
HCSW_LEAVER = ALL_STAFF_LEAVER * 1.2
# update: "Adult social care turnover | overall 23.1%; care and support workers 28.5%" (2024/25), by service
# "England 24.8%: domiciliary 24.6%, residential 27.1%" (2023/24, LG Inform), applied as ratios to England.
ASC_TURNOVER = 0.231
CARE_WORKER_TURNOVER = 0.285
ASC_SERVICE_FACTOR = {"Social care residential": 0.271 / 0.248, "Social care domiciliary": 0.246 / 0.248}
# facts: "390,000 leavers, about a third leaving the sector" (2022/23).  Assumption: an ICS loses the third
# who leave the sector and a further third who move to providers outside its area; the rest stay local.
ASC_LOST_TO_ICS = 2 / 3
# facts: "turnover 48.7% where none of five retention factors apply vs 20.6% where all apply".
# Assumption: new starters in social care leave at 1.3 x the leaver rate within their first year.
ASC_NEW_STARTER_FACTOR = 1.3

# ---- Pay (salary_cost includes on-costs; 2025/26 pay: the model holds pay constant, as do the budgets) ----
NHS_ON_COSTS = 1.25  # assumption: employer pension and National Insurance add about 25%
ASC_ON_COSTS = 1.15  # assumption: lower employer pension contributions in independent providers
# update: "Agenda for Change pay award; nurse starting salary | 3.6%; about £31,050" (2025/26), applied to
# the facts' 2024/25 table: "Band 5 | £29,970 | £32,324 | £36,483" (29,970 × 1.036 = 31,049).
AFC_AWARD_2025_26 = 1.036
BAND5_GBP = 32_324 * AFC_AWARD_2025_26  # step 2 for registered nurses
BAND6_GBP = 39_405 * AFC_AWARD_2025_26  # facts: "Band 6 | £37,338 | £39,405 | £44,962" — step 2 for AHPs
BAND3_GBP = 25_674 * AFC_AWARD_2025_26  # facts: "Band 3 | £24,071 | | £25,674" — top, for support workers
DOCTOR_BASIC_GBP = 90_000  # assumption: no doctors' pay line in the facts file
# facts: "median £12.00/hr in December 2024; senior care worker £12.75", when "NLW ... £11.44 (April 2024)";
# update: "National Living Wage | £12.21 (Apr 2025) → £12.71 (Apr 2026)".  Assumption: care pay keeps its
# margin over the NLW, so 2026/27 rates are the December 2024 medians × 12.71 / 11.44; 37.5 hours × 52 weeks.
NLW_UPLIFT = 12.71 / 11.44
HOURS_PER_YEAR = 37.5 * 52
CARE_WORKER_GBP = 12.00 * NLW_UPLIFT * HOURS_PER_YEAR
SENIOR_CARE_WORKER_GBP = 12.75 * NLW_UPLIFT * HOURS_PER_YEAR

# ---- Agency, targets, demand growth -------------------------------------------------------------------
# update: "Agency hourly price cap | 55% above basic pay (since Apr 2016)"
NHS_AGENCY_PREMIUM = 0.55
ASC_AGENCY_PREMIUM = 0.30  # assumption
# update: "System agency cap | 3.2% of the pay bill (2024/25)": at a 55% premium that buys 3.2 / 1.55 = 2.1%
# of FTE, the most of a role's demand agency may cover in the samples.
NHS_AGENCY_MAX_SHARE = round(0.032 / (1 + NHS_AGENCY_PREMIUM), 3)
ASC_AGENCY_MAX_SHARE = 0.05  # assumption (no adult social care agency figure in the facts)
NHS_VACANCY_TARGET = 0.05  # assumption: two points below the June 2025 all-roles rate of about 7%
ASC_VACANCY_TARGET = 0.06  # assumption: a point below the 2024/25 rate of 7.0%
# facts: "LTWP productivity assumption: 1.5–2% a year" offsets demand growth; assumption: NHS demand +2% a year
NHS_DEMAND_GROWTH = 0.02
# update: "Adult social care projection | about 470,000 more posts by 2040 (+27%)" on 1.71m posts (2024/25):
# (2.18 / 1.71) ^ (1 / 16) - 1 = 1.5% a year
ASC_DEMAND_GROWTH = (2.18 / 1.71) ** (1 / 16) - 1

# ---- Budgets ------------------------------------------------------------------------------------------
# Rule: a holder's budget in plan year k (k = 0 for 2026/27) is the pay bill of the staff in post it pays for
# (salary_cost × staff_in_post_fte, at 2025/26 pay like the salaries, so in 2025/26 prices) grown for k + 1
# years, rounded to £1,000:
# facts: "IFS cost estimate: ... real-terms wage bill +4.4% a year" (what the Long Term Workforce Plan needs) —
# the NHS trusts' budgets grow at 4.4% a year in real terms;
NHS_BUDGET_GROWTH = 0.044
# the councils' adult social care budgets grow with adult social care demand (1.5% a year, above).
ASC_BUDGET_GROWTH = ASC_DEMAND_GROWTH

# ---- Recruitment and retention ------------------------------------------------------------------------
# facts: "Cost per international nurse: about £10,000–£12,000 upfront" (Nuffield Trust 2021)
INTERNATIONAL_NURSE_GBP = 11_000
# update: "NMC international joiners | 29,628 (2023/24) → 20,671 (2024/25); 6,321 in Apr–Sep 2025 (−49.6% on
# a year earlier)": international nurse supply at about half its 2023/24 level.  Assumption: England takes
# 84% of the UK register's joiners (its share of the UK population), shared among nurse roles by staff.
INTERNATIONAL_NURSES_FTE = 29_628 * 0.5 * 0.84
# Assumption: NHS nurses' Domestic channel (nurses joining from outside the NHS: private providers, agencies,
# the other UK nations) takes 2% of staff a year; moves between NHS employers are not new supply.  Other roles'
# Domestic channel can replace the year's leavers plus 3% of staff (their local labour market).
NURSE_DOMESTIC_SHARE = 0.02
OTHER_DOMESTIC_GROWTH = 0.03
# Assumption: doctors' international channel at 1.5% of staff a year (no doctors' figure in the facts).
INTERNATIONAL_DOCTOR_SHARE = 0.015
# update: "Overseas recruitment of care workers | closed to new applicants from 22 Jul 2025": no international
# channel for care workers or senior care workers in plans from 2026/27.
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


def asc_leaver(sector: str, turnover: float) -> float:
    """An adult social care leaver rate: turnover, adjusted to the service, lost to the ICS."""
    return turnover * ASC_SERVICE_FACTOR[sector] * ASC_LOST_TO_ICS


def role_specs() -> list[RoleSpec]:
    asc_fte = ASC_FILLED_POSTS * ASC_FTE_PER_POST
    res, dom = "Social care residential", "Social care domiciliary"
    # Assumed shares: nurses 65/15/20 acute/mental health/community; AHPs 60/40 acute/community; HCSWs 60/20/20;
    # social care 45% residential, 55% domiciliary; care workers 70%, seniors 10%, nurses 2% of posts (all in
    # care homes with nursing).
    return [
        RoleSpec("Acute", "Registered nurses", NURSES_FTE * 0.65, NURSE_VACANCY, NURSE_LEAVER,
                 BAND5_GBP * NHS_ON_COSTS, True, 1.5),
        RoleSpec("Acute", "Doctors", DOCTORS_FTE, NHS_VACANCY, DOCTOR_LEAVER, DOCTOR_BASIC_GBP * NHS_ON_COSTS,
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
        RoleSpec(res, "Care workers", asc_fte * 0.45 * 0.70, ASC_VACANCY, asc_leaver(res, CARE_WORKER_TURNOVER),
                 CARE_WORKER_GBP * ASC_ON_COSTS, False),
        RoleSpec(res, "Senior care workers", asc_fte * 0.45 * 0.10, ASC_VACANCY, asc_leaver(res, ASC_TURNOVER),
                 SENIOR_CARE_WORKER_GBP * ASC_ON_COSTS, False),
        RoleSpec(res, "Registered nurses", asc_fte * 0.02, ASC_VACANCY, asc_leaver(res, ASC_TURNOVER),
                 BAND5_GBP * ASC_ON_COSTS, False, 1.5),
        RoleSpec(dom, "Care workers", asc_fte * 0.55 * 0.70, ASC_VACANCY, asc_leaver(dom, CARE_WORKER_TURNOVER),
                 CARE_WORKER_GBP * ASC_ON_COSTS, False),
        RoleSpec(dom, "Senior care workers", asc_fte * 0.55 * 0.10, ASC_VACANCY, asc_leaver(dom, ASC_TURNOVER),
                 SENIOR_CARE_WORKER_GBP * ASC_ON_COSTS, False),
    ]


def national_nurses_fte() -> float:
    """Registered nurses in every sector of the samples, England-wide (shares the international supply)."""
    return sum(spec.national_fte for spec in role_specs() if spec.staff_group == "Registered nurses")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _round(value: float, places: int = 1) -> float:
    return round(value, places)


def region_factors(rows: list[dict[str, str]]) -> dict[str, float]:
    """NHS vacancy factor by region: REGION_VACANCY_FACTOR (others 1), scaled to a population-weighted mean of 1."""
    population = sum(int(r["population"]) for r in rows)
    mean = sum(REGION_VACANCY_FACTOR.get(r["region"], 1.0) * int(r["population"]) for r in rows) / population
    return {r["region"]: REGION_VACANCY_FACTOR.get(r["region"], 1.0) / mean for r in rows}


def workbook_tables(ics: dict[str, str], index: int, vacancy_factor: dict[str, float]
                    ) -> tuple[dict[str, object], dict[str, list[dict[str, object]]]]:
    """ICS fields and sheet records for one ICS (``index`` = its position in ics.csv)."""
    rng = random.Random(zlib.crc32(ics["ods_code"].encode()))
    scale = int(ics["population"]) / ENGLAND_POPULATION
    region_factor = vacancy_factor[ics["region"]]
    short = ics["ics_short_name"]
    trusts, councils = f"{short} NHS trusts", f"{short} councils (adult social care)"
    years = [year_label(FIRST_YEAR + k) for k in range(HORIZON_YEARS)]

    def vary() -> float:
        return rng.uniform(0.9, 1.1)

    workforce, demand, recruitment, retention, pipeline = [], [], [], [], []
    pay_bill = {trusts: 0.0, councils: 0.0}
    staff_of: dict[tuple[str, str], float] = {}
    for spec in role_specs():
        staff = _round(spec.national_fte * scale * vary())
        vacancy = min(0.3, spec.vacancy * (region_factor if spec.nhs else 1.0) * vary())
        leaver = round(spec.leaver * vary(), 4)
        holder = trusts if spec.nhs else councils
        staff_of[(spec.sector, spec.staff_group)] = staff
        pay_bill[holder] += staff * round(spec.salary_gbp)
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
        domestic = (NURSE_DOMESTIC_SHARE if spec.nhs and spec.staff_group == "Registered nurses"
                    else leaver + OTHER_DOMESTIC_GROWTH)
        recruitment.append({"channel": "Domestic", "sector": spec.sector, "staff_group": spec.staff_group,
                            "cost_per_hire": 3_000 if spec.priority > 1 else 1_000,  # assumption
                            "max_hires_per_year": _round(staff * domestic), "lead_time_years": 0})
        if spec.staff_group in ("Registered nurses", "Doctors"):  # not care workers: closed from July 2025
            share = (INTERNATIONAL_NURSES_FTE / national_nurses_fte() if spec.staff_group == "Registered nurses"
                     else INTERNATIONAL_DOCTOR_SHARE)
            recruitment.append({"channel": "International", "sector": spec.sector, "staff_group": spec.staff_group,
                                "cost_per_hire": INTERNATIONAL_NURSE_GBP, "max_hires_per_year": _round(staff * share),
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
    growth = {trusts: NHS_BUDGET_GROWTH, councils: ASC_BUDGET_GROWTH}  # the budget rule, under "Budgets" above
    budget = [{"budget_holder": holder, **{label: float(round(bill * (1 + growth[holder]) ** (k + 1), -3))
                                           for k, label in enumerate(years)}}
              for holder, bill in pay_bill.items()]
    fields = {"ics_code": ics["ods_code"], "ics_name": ics["icb_name"],
              # assumption: every third ICS pools 5% of its health and care budgets
              "pooled_budget_share": 0.05 if index % 3 == 0 else 0.0}
    # The template's suggested ranges (workforce/inputs/uncertainty.py quotes the update's figures for each):
    # leaver rates x0.8 to x1.25, international supply x0.5 to x2 (P10 to P90, lognormal).
    uncertainty = [{"table": s.table, "column": s.column, **dict(s.where), "low": s.low, "high": s.high,
                    "distribution": "lognormal"} for s in SUGGESTED]
    tables = {"Workforce": workforce, "Demand": demand, "Recruitment": recruitment, "Retention": retention,
              "Deployment": deployment, "Training": training, "Budget": budget, "Pipeline": pipeline,
              "Uncertainty": uncertainty}
    return fields, tables


def make_samples(out_dir: Path, reference_csv: Path, only: set[str] | None = None) -> list[Path]:
    """Write the sample workbooks (and the template) into ``out_dir``; returns the ICS workbooks written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with reference_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    written = []
    factors = region_factors(rows)
    for index, ics in enumerate(rows):
        if only is not None and ics["ods_code"] not in only:
            continue
        fields, tables = workbook_tables(ics, index, factors)
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
