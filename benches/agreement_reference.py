#!/usr/bin/env python3
"""Reference figures for the agreement tests, computed independently of parallax.

Usage:
    python3 benches/agreement_reference.py

Prints, for Krippendorff's (2011) "Computing Krippendorff's Alpha-Reliability" example
(4 observers x 12 units, missing values; nominal alpha 0.743):

- per reading: nominal alpha of the binary question "is the observer's value this
  category?", one question per category value, over the same pairable values (a coder
  missing in a unit stays missing in every question);
- leave one out: nominal alpha of the data without each observer.

Everything is computed twice: by a small pure-Python coincidence-matrix implementation
(exact fractions, no numpy) and, when it is installed, by the `krippendorff` package
(`pip install krippendorff`). src/agreement/per_reading.rs and leave_one_out.rs paste the
printed values as constants.
"""

import math
from collections import Counter
from fractions import Fraction

# Krippendorff (2011), section C: rows are observers, columns units; None = missing.
DATA = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def nominal_alpha(rows):
    """alpha = 1 - (n - 1) * sum_u (1/(m_u - 1)) sum_{c != k} n_uc n_uk / sum_{c != k} n_c n_k,
    in exact fractions; None where alpha is undefined (no pairable unit or no variation)."""
    units = len(rows[0])
    observed = Fraction(0)
    totals = Counter()
    for u in range(units):
        counts = Counter(row[u] for row in rows if row[u] is not None)
        m = sum(counts.values())
        if m < 2:
            continue
        totals.update(counts)
        disagreeing = m * m - sum(c * c for c in counts.values())
        observed += Fraction(disagreeing, m - 1)
    n = sum(totals.values())
    expected = n * n - sum(c * c for c in totals.values())
    if n < 2 or expected == 0:
        return None
    return float(1 - (n - 1) * observed / expected)


def package_alpha(rows):
    try:
        import krippendorff
        import numpy as np
    except ImportError:
        return "not installed"
    matrix = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    try:
        value = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    except (ValueError, ZeroDivisionError, AssertionError) as e:
        return f"refused: {e}"
    return None if math.isnan(value) else float(value)


def binary(rows, category):
    return [[None if v is None else int(v == category) for v in row] for row in rows]


def main():
    print("overall nominal alpha:", repr(nominal_alpha(DATA)), "| package:", package_alpha(DATA))
    categories = sorted({v for row in DATA for v in row if v is not None})
    print("per reading (binary: value == category):")
    for c in categories:
        rows = binary(DATA, c)
        print(f"  category {c}: {nominal_alpha(rows)!r} | package: {package_alpha(rows)!r}")
    print("leave one out (nominal alpha without observer i):")
    for i in range(len(DATA)):
        rows = DATA[:i] + DATA[i + 1 :]
        print(f"  without observer {i + 1}: {nominal_alpha(rows)!r} | package: {package_alpha(rows)!r}")


if __name__ == "__main__":
    main()
