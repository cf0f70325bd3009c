"""The hedged first year's speed (issue 12, item 6): `--hedge 50` on a sample ICS within 30 s.

    .venv/bin/python benchmarks/bench_hedge.py [--repeats 3] [--hedge 50] [--futures 100] [--sample inputs/QHG-....xlsx]

1. The two-stage LP in one process (``workforce.futures.hedge.hedge_first_year``: the S futures' LPs, the
   futures' held stage-1 bases, the central first year's two stages and the hedged plan's three, warm-started)
   against bare highspy solving the same extensive form lexicographically from cold (``passModel``, default
   options, stage 2 and 3 continuing from the stage before, as ``workforce/solve.py`` does): the ratio is
   bare time / product time, interleaved in one run.
2. The whole command, each a fresh process, start to workbook written: `workforce solve SAMPLE --futures N
   --hedge S` against `workforce solve SAMPLE --futures N`, interleaved.  Target: the hedged run within 30 s.

The first round warms caches and is discarded; medians are reported (a noisy 2-core machine), with the load
average.  Results go to benchmarks/results/hedge.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import highspy
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workforce.futures.evaluate import prepare  # noqa: E402
from workforce.futures.hedge import hedge_first_year  # noqa: E402
from workforce.futures.lexsolve import stage_bound  # noqa: E402
from workforce.futures.sampling import HEDGE_STREAM, sample_futures  # noqa: E402
from workforce.futures.two_stage import extensive_form  # noqa: E402
from workforce.inputs.validate import load_model_data  # noqa: E402
from workforce.scenario import load_scenario  # noqa: E402

SAMPLE = REPO / "inputs" / "QHG-bedfordshire-luton-and-milton-keynes.xlsx"


def bare(prepared: object, ranges: object, seed: int, count: int, rtol: float, atol: float) -> float:
    """Seconds for bare highspy: the same extensive form (hedged), three stages from cold."""
    space = prepared.space  # type: ignore[attr-defined]
    futures = sample_futures(ranges, seed, count, stream=HEDGE_STREAM)  # type: ignore[arg-type]
    started = time.perf_counter()
    thetas = [space.theta(f.multipliers)[0] for f in futures]
    form = extensive_form(space.layout, thetas, prepared.first, prepared.central_shares)  # type: ignore[attr-defined]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(form.lp)
    columns = np.arange(form.lp.num_col_, dtype=np.int32)
    optimum = 0.0
    for stage in range(3):
        if stage:
            h.changeRowBounds(form.objective_rows[stage - 1], -highspy.kHighsInf, stage_bound(optimum, rtol, atol))
        h.changeColsCost(len(columns), columns, form.costs[stage])
        h.run()
        assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        optimum = h.getInfo().objective_function_value
    return time.perf_counter() - started


def in_process(sample: Path, count: int, repeats: int) -> dict[str, object]:
    scenario = load_scenario()
    data, _ = load_model_data(sample)
    prepared = prepare(data, scenario, data.horizon_years)  # type: ignore[arg-type]
    rtol, atol = scenario.relative_tolerance, scenario.absolute_tolerance
    product, baseline = [], []
    for r in range(repeats + 1):
        started = time.perf_counter()
        hedge_first_year(prepared, data.uncertainty, seed=r, count=count)  # type: ignore[arg-type]
        mine = time.perf_counter() - started
        theirs = bare(prepared, data.uncertainty, r, count, rtol, atol)
        if r:  # the first round warms caches
            product.append(mine)
            baseline.append(theirs)
    return {"two_stage_s": statistics.median(product), "bare_highspy_s": statistics.median(baseline),
            "ratio_bare_over_product": statistics.median(b / p for b, p in zip(baseline, product)),
            "two_stage_all_s": product, "bare_all_s": baseline}


def process(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, str(REPO / "cli.py"), *args], check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - started


def whole_command(sample: Path, futures: int, hedge: int, repeats: int, tmp: Path) -> dict[str, object]:
    base = ["solve", str(sample), "--futures", str(futures), "--seed", "1", "--out", str(tmp / "plan.xlsx")]
    hedged, plain = [], []
    for r in range(repeats + 1):
        pair = [(hedged, base + ["--hedge", str(hedge)]), (plain, base)]
        for times, args in (pair if r % 2 else pair[::-1]):
            seconds = process(args)
            if r:
                times.append(seconds)
    return {"hedged_s": statistics.median(hedged), "futures_only_s": statistics.median(plain),
            "hedged_all_s": hedged, "futures_only_all_s": plain}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--hedge", type=int, default=50)
    parser.add_argument("--futures", type=int, default=100)
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    args = parser.parse_args()
    load_before = os.getloadavg()
    result: dict[str, object] = {"sample": args.sample.name, "hedge": args.hedge, "futures": args.futures,
                                 "repeats": args.repeats}
    result["in_process"] = in_process(args.sample, args.hedge, args.repeats)
    with tempfile.TemporaryDirectory() as tmp:
        result["command"] = whole_command(args.sample, args.futures, args.hedge, args.repeats, Path(tmp))
    result["load_average"] = {"before": load_before, "after": os.getloadavg()}
    out = REPO / "benchmarks" / "results" / "hedge.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    p, c = result["in_process"], result["command"]
    print(f"two-stage LP, {args.hedge} futures: {p['two_stage_s']:.2f} s; bare highspy (cold) "  # type: ignore[index]
          f"{p['bare_highspy_s']:.2f} s; ratio {p['ratio_bare_over_product']:.2f}")  # type: ignore[index]
    print(f"solve --futures {args.futures} --hedge {args.hedge}: {c['hedged_s']:.1f} s (target 30 s); "  # type: ignore[index]
          f"--futures {args.futures} alone {c['futures_only_s']:.1f} s")  # type: ignore[index]
    print(f"load average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
