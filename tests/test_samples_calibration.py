"""The 42 samples hold the 2024/25 figures they cite (scripts/make_samples.py), in standard names, with no warning.

Figures from shared/reference/workforce_facts.md, section "Update to 2024/25": nurse leaver rate 8.8%, all
staff 10.1%; nurse vacancy 6.4% and all roles about 7% (London about twice the South West); adult social care
vacancy 7.0% and turnover 23.1% (care workers 28.5%); no international care workers from July 2025; the
international nurse supply about half its 2023/24 level; NHS agency within the 3.2%-of-pay-bill cap.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from workforce.data import ModelData
from workforce.inputs.validate import load_model_data
from workforce.inputs.vocabulary import ADULT_SOCIAL_CARE, NHS, NameKind, sector_family, vocabulary
from workforce.reference import reference_ics

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "inputs").glob("Q*.xlsx"))


@pytest.fixture(scope="module")
def samples() -> list[ModelData]:
    loaded = [load_model_data(path) for path in SAMPLES]
    assert all(issues == [] for _, issues in loaded), "the samples give no warning"
    return [data for data, _ in loaded]


def weighted(samples: list[ModelData], value: object, keep: object) -> float:
    """Staff-weighted mean of ``value(role)`` over the roles ``keep(data, role)`` accepts."""
    total = weight = 0.0
    for d in samples:
        for r in d.roles:
            if keep(d, r):  # type: ignore[operator]
                total += value(r) * r.staff_in_post_fte  # type: ignore[operator]
                weight += r.staff_in_post_fte
    return total / weight


def vacancy(samples: list[ModelData], keep: object) -> float:
    """First-year vacancy rate, 1 - staff / demand, over the roles ``keep(data, role)`` accepts."""
    staff = demand = 0.0
    for d in samples:
        for r in d.roles:
            if keep(d, r):  # type: ignore[operator]
                staff += r.staff_in_post_fte
                demand += d.demand(r.key, 1)
    return 1 - staff / demand


def nhs(_d: ModelData, r: object) -> bool:
    return sector_family(r.sector) == NHS  # type: ignore[attr-defined]


def care(_d: ModelData, r: object) -> bool:
    return sector_family(r.sector) == ADULT_SOCIAL_CARE  # type: ignore[attr-defined]


def test_leaver_rates(samples: list[ModelData]) -> None:
    def of(group: str) -> object:
        return lambda d, r: nhs(d, r) and r.staff_group == group

    assert weighted(samples, lambda r: r.leaver_rate, of("Registered nurses")) == pytest.approx(0.088, abs=0.002)
    assert weighted(samples, lambda r: r.leaver_rate, of("Allied health professionals")) == pytest.approx(
        0.101, abs=0.002)
    # Social care: turnover (23.1% overall, 28.5% for care workers), by service between 24.6/24.8 (domiciliary)
    # and 27.1/24.8 (residential) of England's, of which an ICS loses two thirds.
    def turnover(group: str) -> float:
        return weighted(samples, lambda r: r.leaver_rate, lambda d, r: care(d, r) and r.staff_group == group) * 1.5

    assert 0.285 * 0.246 / 0.248 < turnover("Care workers") < 0.285 * 0.271 / 0.248
    assert 0.231 * 0.246 / 0.248 < turnover("Senior care workers") < 0.231 * 0.271 / 0.248


def test_vacancy_rates_and_the_london_south_west_spread(samples: list[ModelData]) -> None:
    regions = {code: ics.region for code, ics in reference_ics().items()}
    nurses = vacancy(samples, lambda d, r: nhs(d, r) and r.staff_group == "Registered nurses")
    assert nurses == pytest.approx(0.064, abs=0.002)
    assert vacancy(samples, nhs) == pytest.approx(0.07, abs=0.005)
    london = vacancy(samples, lambda d, r: nhs(d, r) and regions[d.ics_code] == "London")
    south_west = vacancy(samples, lambda d, r: nhs(d, r) and regions[d.ics_code] == "South West")
    assert 1.7 < london / south_west < 2.1
    assert vacancy(samples, care) == pytest.approx(0.070, abs=0.002)


def test_international_recruitment(samples: list[ModelData]) -> None:
    by_group: dict[str, float] = defaultdict(float)
    for d in samples:
        for c in d.recruitment:
            if c.channel == "International":
                by_group[c.role[1]] += c.max_hires_per_year_fte
    assert "Care workers" not in by_group and "Senior care workers" not in by_group  # closed from July 2025
    # Half the 29,628 NMC international joiners of 2023/24, England's 84% share.
    assert by_group["Registered nurses"] == pytest.approx(29_628 * 0.5 * 0.84, rel=0.02)


def test_agency_within_the_system_cap(samples: list[ModelData]) -> None:
    shares = {r.agency_max_share for d in samples for r in d.roles if nhs(d, r)}
    assert shares == {0.021}  # 3.2% of the pay bill at a 55% premium buys 2.1% of FTE


def test_budgets_follow_the_stated_rule(samples: list[ModelData]) -> None:
    growth = {NHS: 0.044, ADULT_SOCIAL_CARE: (2.18 / 1.71) ** (1 / 16) - 1}
    for d in samples:
        for holder in d.budget_holders:
            roles = [r for r in d.roles if r.budget_holder == holder]
            pay_bill = sum(r.salary_cost_gbp * r.staff_in_post_fte for r in roles)
            rate = growth[sector_family(roles[0].sector)]
            for y in d.years:
                assert d.budget(holder, y) == pytest.approx(pay_bill * (1 + rate) ** y, abs=500.0)


def test_samples_use_standard_names(samples: list[ModelData]) -> None:
    vocab = vocabulary()

    def standard(kind: NameKind, name: str) -> bool:
        found = vocab.standard(kind, name)
        return found is not None and found.name == name

    for d in samples:
        assert all(standard(NameKind.SECTOR, r.sector) and standard(NameKind.STAFF_GROUP, r.staff_group)
                   for r in d.roles)
        assert all(standard(NameKind.CHANNEL, c.channel) for c in d.recruitment)
        assert {k.route for k in d.training if not standard(NameKind.ROUTE, k.route)} == {
            "Senior care worker development"}  # a local route: no national limit names it
