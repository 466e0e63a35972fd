#!/usr/bin/env python3
"""Cross-check parallax's Krippendorff's alpha against Python, on the same data.

Usage:
    cargo run --release --example gen_corpus -- OUT_DIR --sources 5000 --scenes 500 \
        --python data.json
    pip install krippendorff numpy
    python3 benches/alpha_python.py data.json

data.json is what `gen_corpus --python` writes: `coders` x `units` cells, each the sorted
list of reading indices a source endorses in a scene, or null.

Prints one JSON object: nominal alpha from the `krippendorff` package (each distinct set
mapped to one category) and, from a small independent implementation of the coincidence
matrix over distinct values below, nominal, MASI and Jaccard alpha; with the time each
took. The figures should agree with `parallax agreement --format json` to 1e-9.
"""

import json
import math
import sys
import time
from collections import Counter


def jaccard_distance(a, b):
    inter = len(a & b)
    return 1.0 - inter / len(a | b)


def masi_distance(a, b):
    # docs/rules.md#agreement (Passonneau 2006) with exact thirds; nltk's masi_distance uses 0.67 / 0.33.
    inter = len(a & b)
    union = len(a | b)
    if a == b:
        m = 3
    elif a <= b or b <= a:
        m = 2
    elif inter:
        m = 1
    else:
        m = 0
    return 1.0 - (inter * m) / (3 * union)


def nominal_distance(a, b):
    return 0.0 if a == b else 1.0


def reference_alpha(units, distance):
    """alpha = 1 - D_o/D_e from per-unit value counts (Krippendorff 2011, section C)."""
    pairable = [u for u in units if sum(u.values()) >= 2]
    totals = Counter()
    for u in pairable:
        totals.update(u)
    n = sum(totals.values())
    if n < 2:
        return None
    observed = []
    for u in pairable:
        m = sum(u.values())
        vals = list(u.items())
        s = math.fsum(
            na * nb * distance(a, b) for a, na in vals for b, nb in vals if a != b
        )
        observed.append(s / (m - 1))
    glob = list(totals.items())
    expected = math.fsum(
        na * nb * distance(a, b) for a, na in glob for b, nb in glob if a != b
    )
    if expected == 0:
        return None
    return 1.0 - (n - 1) * math.fsum(observed) / expected


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        data = json.load(f)
    rows = data["data"]
    n_units = len(data["units"])
    result = {
        "coders": len(rows),
        "units": n_units,
        "values": sum(cell is not None for row in rows for cell in row),
    }

    # Same data as the Rust side sees: per unit, the distinct endorsed sets and counts.
    start = time.perf_counter()
    units = [Counter() for _ in range(n_units)]
    for row in rows:
        for u, cell in enumerate(row):
            if cell:
                units[u][frozenset(cell)] += 1
    for name, dist in (
        ("nominal", nominal_distance),
        ("masi", masi_distance),
        ("jaccard", jaccard_distance),
    ):
        result[f"reference_{name}"] = reference_alpha(units, dist)
    result["reference_seconds"] = time.perf_counter() - start

    try:
        import krippendorff
        import numpy as np
    except ImportError:
        result["krippendorff"] = "not installed (pip install krippendorff numpy)"
    else:
        categories = {}
        matrix = np.full((len(rows), n_units), np.nan)
        for i, row in enumerate(rows):
            for u, cell in enumerate(row):
                if cell:
                    matrix[i, u] = categories.setdefault(tuple(cell), len(categories))
        start = time.perf_counter()
        try:
            value = krippendorff.alpha(
                reliability_data=matrix, level_of_measurement="nominal"
            )
            result["krippendorff_nominal"] = None if math.isnan(value) else value
        except (ValueError, ZeroDivisionError) as e:
            # The package refuses data with a single category; parallax says null there.
            result["krippendorff_nominal"] = f"error: {e}"
        result["krippendorff_seconds"] = time.perf_counter() - start
        result["krippendorff_version"] = getattr(krippendorff, "__version__", "?")

    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
