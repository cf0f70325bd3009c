"""Plans under uncertainty: ranges on the inputs, sampled futures, and a first-year plan hedged across them.

A future is a set of adjustments (``workforce/scenarios``): each row of the
workbook's Uncertainty sheet multiplies the values it names by one draw, in
every year, out-of-range values clipped.  Stages (each one entry point)::

    Uncertainty sheet ─► ranges (workforce/inputs/uncertainty.py; distributions.py: P10/P90 → a distribution)
    ranges, seed ─► sample_futures (sampling.py) ─► [Future: one multiplier per row]
    central data ─► prepare (evaluate.py: compile once, space.py; central bases, first_year.py)
    futures ─► evaluate, in chunks through the roll-up's executor (run.py) ─► outcomes (outcomes.py)
    outcomes ─► summary.py (percentiles, probabilities, standard errors) ─► the plan's Range sheet
    S futures ─► two_stage.py (the hedged first year) ─► evaluated on fresh futures ─► the Hedge sheet

Modules: ``distributions`` (maths of the ranges), ``sampling`` (seeded draws,
futures as adjustments), ``space`` (every future's LP from the multipliers,
exactly), ``lexsolve`` (warm-started lexicographic solves), ``first_year``
(the first-year decisions and holding them in a future), ``outcomes`` (the
figures of a solved future), ``evaluate`` and ``run`` (the engine),
``summary`` (statistics).  Nothing is imported here, so reading a workbook
stays light.
"""
