"""The formulation's three lexicographic stages solved as plainly as HiGHS can: the reference that every
solve strategy (``workforce/strategy.py``) must reproduce to the stage tolerances."""

from __future__ import annotations

import highspy
import numpy as np

from workforce.scenario import Scenario
from workforce.solve import StandardForm, pass_model


def cold_optima(sf: StandardForm, scenario: Scenario) -> tuple[float, float, float]:
    """The formulation's three stages as plainly as HiGHS solves them: a fresh solver for each stage, with its
    defaults (threads as the policy sets them), every earlier stage held by its row ``O_s <= O_s*(1 + rtol) + atol``."""
    optima: list[float] = []
    for stage in range(3):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", scenario.solver.threads)  # HiGHS's thread pool is per process: start it alike
        pass_model(h, sf, stage)
        for s, optimum in enumerate(optima):
            cols = np.flatnonzero(sf.cost[s]).astype(np.int32)
            h.addRow(-highspy.kHighsInf, optimum * (1 + scenario.relative_tolerance) + scenario.absolute_tolerance,
                     len(cols), cols, sf.cost[s][cols])
        h.run()
        assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        optima.append(h.getInfo().objective_function_value)
    return optima[0], optima[1], optima[2]
