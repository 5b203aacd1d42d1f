"""Reference return statistics from empyrical, for test/unit/engine/analytics/.

Reads one JSON document on stdin: {"cases": [...]}, each case {"returns": [...], "bench": [...]
or null, "periodsPerYear": N, "riskFreeRate": annual, "sortinoTarget": annual}, and prints
{"empyrical": version, "results": [...]}: per case volatility (annual_volatility), sharpe
(sharpe_ratio with the per-period risk-free rate annual / N), sortino (sortino_ratio with the
per-period required return annual / N), maxDrawdown (max_drawdown, as a positive fraction),
beta (beta to the bench returns) and linked (cum_returns_final). Undefined values are null.
"""

import json
import math
import sys

import empyrical
import numpy as np


def clean(v):
    v = float(v)
    return v if math.isfinite(v) else None


def one(case):
    r = np.asarray(case["returns"], dtype=float)
    n = case["periodsPerYear"]
    out = {
        "volatility": clean(empyrical.annual_volatility(r, annualization=n)),
        "sharpe": clean(empyrical.sharpe_ratio(r, risk_free=case["riskFreeRate"] / n, annualization=n)),
        "sortino": clean(empyrical.sortino_ratio(r, required_return=case["sortinoTarget"] / n, annualization=n)),
        "maxDrawdown": clean(-empyrical.max_drawdown(r)),
        "linked": clean(empyrical.cum_returns_final(r)),
        "beta": None,
    }
    if case.get("bench") is not None:
        out["beta"] = clean(empyrical.beta(r, np.asarray(case["bench"], dtype=float)))
    return out


def main():
    doc = json.load(sys.stdin)
    results = [one(c) for c in doc["cases"]]
    json.dump({"empyrical": empyrical.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
