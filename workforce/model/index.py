"""Index sets of the LP, computed once from :class:`ModelData`.

Roles, budget holders and option rows are numbered by their position in
``ModelData`` (canonical order), so LP names read ``x[3,2]`` = role 3, plan
year 2.  Money inside the model is in £ thousands (:data:`MONEY_UNIT_GBP`)
so that HiGHS sees coefficients near 1; results are converted back to £.
"""

from __future__ import annotations

from dataclasses import dataclass

from workforce.data import ModelData, RoleKey

MONEY_UNIT_GBP = 1000.0  # one model money unit = £1,000


def to_model_money(amount_gbp: float) -> float:
    """£ → model money units (£k)."""
    return amount_gbp / MONEY_UNIT_GBP


@dataclass(frozen=True)
class Index:
    """Positions and index tuples shared by every constraint family."""

    years: tuple[int, ...]
    role_ids: tuple[int, ...]
    role_of: dict[RoleKey, int]
    holder_ids: tuple[int, ...]
    holder_of: dict[str, int]
    role_year: tuple[tuple[int, int], ...]
    holder_year: tuple[tuple[int, int], ...]
    hire: tuple[tuple[int, int], ...]  # (channel, year made) with year + lead <= H
    lever_year: tuple[tuple[int, int], ...]
    deploy_year: tuple[tuple[int, int], ...]
    start: tuple[tuple[int, int], ...]  # (route, start year) with year + duration <= H
    transfer: tuple[tuple[int, int, int], ...]  # (from holder, to holder, year)
    holder_of_role: tuple[int, ...]  # role -> budget holder
    roles_of_holder: dict[int, tuple[int, ...]]
    channels_of_role: dict[int, tuple[int, ...]]
    levers_of_role: dict[int, tuple[int, ...]]
    routes_from_role: dict[int, tuple[int, ...]]  # training routes whose trainees come from the role
    routes_to_role: dict[int, tuple[int, ...]]  # training routes whose completers join the role
    deploy_from_role: dict[int, tuple[int, ...]]
    deploy_to_role: dict[int, tuple[int, ...]]


def build_index(d: ModelData) -> Index:
    """All index sets for ``d``."""
    horizon = d.horizon_years
    years = tuple(d.years)
    role_of = {role.key: i for i, role in enumerate(d.roles)}
    holder_of = {holder: b for b, holder in enumerate(d.budget_holders)}
    holders = tuple(range(len(d.budget_holders)))
    transfer: tuple[tuple[int, int, int], ...] = ()
    if d.pools and len(holders) > 1:
        transfer = tuple((b, b2, y) for b in holders for b2 in holders if b != b2 for y in years)
    def group(pairs: list[tuple[int, int]], keys: range) -> dict[int, tuple[int, ...]]:
        grouped: dict[int, list[int]] = {key: [] for key in keys}
        for key, member in pairs:
            grouped[key].append(member)
        return {key: tuple(members) for key, members in grouped.items()}

    roles = range(len(d.roles))
    holder_of_role = tuple(holder_of[role.budget_holder] for role in d.roles)
    return Index(
        years=years,
        role_ids=tuple(range(len(d.roles))),
        role_of=role_of,
        holder_ids=holders,
        holder_of=holder_of,
        role_year=tuple((i, y) for i in range(len(d.roles)) for y in years),
        holder_year=tuple((b, y) for b in holders for y in years),
        hire=tuple((c.index, y) for c in d.recruitment for y in years if y + c.lead_time_years <= horizon),
        lever_year=tuple((lever.index, y) for lever in d.retention for y in years),
        deploy_year=tuple((route.index, y) for route in d.deployment for y in years),
        start=tuple((k.index, y) for k in d.training for y in years if y + k.duration_years <= horizon),
        transfer=transfer,
        holder_of_role=holder_of_role,
        roles_of_holder=group([(b, i) for i, b in enumerate(holder_of_role)], range(len(holders))),
        channels_of_role=group([(role_of[c.role], c.index) for c in d.recruitment], roles),
        levers_of_role=group([(role_of[lever.role], lever.index) for lever in d.retention], roles),
        routes_from_role=group([(role_of[k.from_role], k.index) for k in d.training], roles),
        routes_to_role=group([(role_of[k.to_role], k.index) for k in d.training], roles),
        deploy_from_role=group([(role_of[z.from_role], z.index) for z in d.deployment], roles),
        deploy_to_role=group([(role_of[z.to_role], z.index) for z in d.deployment], roles),
    )
