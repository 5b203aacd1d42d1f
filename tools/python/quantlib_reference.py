"""Reference option prices and Greeks from QuantLib, for test/unit/engine/pricing.test.ts.

Prices a fixed grid of European options with QuantLib's AnalyticEuropeanEngine on a flat
Black-Scholes-Merton process (dates, Actual/365 Fixed, flat rate, dividend and vol curves) and
prints one JSON document on stdout: {"quantlib": version, "options": [...]}. Each option has
model ("bsm" or "black76"), call, spot (the futures price for Black-76), strike, days, years
(days / 365), vol, rate, dividend, and price, delta, gamma, vega, theta (per year), rho.

Black-76 is the same engine with the dividend yield equal to the rate (the futures price as spot);
its rho moves both curves (rho + dividendRho, the discount rate with the futures price held), and
its price is checked against QuantLib's BlackCalculator on the forward before it is printed.
"""

import json
import math
import sys

import QuantLib as ql

TODAY = ql.Date(15, ql.June, 2026)
DAY_COUNT = ql.Actual365Fixed()


def flat(rate):
    return ql.YieldTermStructureHandle(ql.FlatForward(TODAY, ql.QuoteHandle(ql.SimpleQuote(rate)), DAY_COUNT))


def price(model, call, spot, strike, days, vol, rate, dividend):
    """One option through QuantLib's full pricing stack; returns the JSON record."""
    q = rate if model == "black76" else dividend
    process = ql.BlackScholesMertonProcess(
        ql.QuoteHandle(ql.SimpleQuote(spot)),
        flat(q),
        flat(rate),
        ql.BlackVolTermStructureHandle(ql.BlackConstantVol(TODAY, ql.NullCalendar(), vol, DAY_COUNT)),
    )
    kind = ql.Option.Call if call else ql.Option.Put
    option = ql.VanillaOption(ql.PlainVanillaPayoff(kind, strike), ql.EuropeanExercise(TODAY + days))
    option.setPricingEngine(ql.AnalyticEuropeanEngine(process))
    years = DAY_COUNT.yearFraction(TODAY, TODAY + days)
    rho = option.rho()
    if model == "black76":
        rho += option.dividendRho()
        df = math.exp(-rate * years)
        black = ql.BlackCalculator(ql.PlainVanillaPayoff(kind, strike), spot, vol * math.sqrt(years), df)
        if abs(black.value() - option.NPV()) > 1e-12 * max(1.0, spot):
            sys.exit(f"Black-76 disagrees with BlackCalculator at {spot}/{strike}/{days}d: {option.NPV()} vs {black.value()}")
    return {
        "model": model,
        "call": call,
        "spot": spot,
        "strike": strike,
        "days": days,
        "years": years,
        "vol": vol,
        "rate": rate,
        "dividend": q if model == "bsm" else 0.0,
        "price": option.NPV(),
        "delta": option.delta(),
        "gamma": option.gamma(),
        "vega": option.vega(),
        "theta": option.theta(),
        "rho": rho,
    }


def grid():
    """Calls and puts in, at and out of the money, short to long dated, with and without a yield."""
    for model in ("bsm", "black76"):
        for call in (True, False):
            for spot in (85.0, 100.0, 118.0):
                for days in (30, 182, 730):
                    for vol in (0.12, 0.45):
                        for rate, dividend in ((0.03, 0.0), (0.05, 0.02), (-0.005, 0.01)):
                            if model == "black76" and dividend != 0.0:
                                continue
                            yield price(model, call, spot, 100.0, days, vol, rate, dividend)


def main():
    ql.Settings.instance().evaluationDate = TODAY
    json.dump({"quantlib": ql.__version__, "options": list(grid())}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
