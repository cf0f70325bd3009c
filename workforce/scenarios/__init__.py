"""What-if scenarios: adjustments to the validated data, and plans compared side by side.

Stages (each one entry point)::

    scenario file ─► load_scenario (workforce/scenario.py, [[adjust]] read by scenarios.adjustment)
    ModelData ─► apply_adjustments(data, [Adjustment…], name) ─► Adjusted(data', what each changed)
    data' ─► build ─► solve ─► results ─► report          (unchanged: the same stages for every variant)

An adjustment changes the validated data, never the workbook, so a scenario's
plan is exactly the plan of the workbook edited the same way
(``tests/test_scenarios.py`` checks it).  Scenario files and, later, sampled
futures both produce lists of :class:`Adjustment`.  The semantics are in
``workforce/scenarios/apply.py``; which year a per-year parameter belongs to
is in each constraint family's docstring (``workforce formulation``).

Modules: ``adjustment`` (the type, read from files), ``apply`` (the pure
function).  Nothing is imported here, so reading a policy file stays light.
"""
