#!/usr/bin/env python3
"""An independent reference for `parallax reliability`: reads a work folder's codings with
Python's own TOML parser and computes Krippendorff's alpha straight from its definition (an
explicit coincidence matrix over every ordered pair of values in a unit, quadratic on purpose).

    python3 benches/reliability_reference.py WORK_DIR [--value readings|positions] [--voice own|all]

prints JSON: units, pairable_units, pairable_values, alpha (nominal, masi, jaccard), and per
pair of coders (shared_units, masi alpha, identical). It resolves scene and reading aliases and
the `[[person]]` registry as parallax does, so it reads the same corpora; it shares no code with it.
"""

import json
import os
import sys
import tomllib
from itertools import combinations


def fold(name):
    return " ".join(name.split()).lower()


def load(work_dir):
    with open(os.path.join(work_dir, "work.toml"), "rb") as f:
        work = tomllib.load(f)

    def index(entries, key="id"):
        out = {}
        for i, e in enumerate(entries):
            out[e[key]] = i
            for a in e.get("aliases", []):
                out.setdefault(fold(a), i)
        return out

    scenes = index(work.get("scene", []))
    readings = index(work.get("reading", []))
    people = {}
    for p in work.get("person", []):
        for name in [p["id"], p["name"], *p.get("aliases", [])]:
            people[fold(name)] = p["id"]
    coders = {}
    root = os.path.join(work_dir, "codings")
    for coder in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        codings = {}
        for name in sorted(os.listdir(os.path.join(root, coder))):
            if not name.endswith(".toml"):
                continue
            with open(os.path.join(root, coder, name), "rb") as f:
                doc = tomllib.load(f)
            claims = []
            for c in doc.get("claim", []):
                who = c.get("attributed_to")
                if who is not None:
                    who = people.get(fold(who), fold(who)) if people else fold(who)
                scene = scenes.get(c["scene"], scenes.get(fold(c["scene"])))
                reading = readings.get(c["reading"], readings.get(fold(c["reading"])))
                claims.append((scene, reading, c.get("stance", "endorses"), who))
            codings[name[: -len(".toml")]] = claims
        coders[coder] = codings
    return len(work.get("scene", [])), coders


def value(claims, scene, kind, voice):
    out = set()
    for s, r, stance, who in claims:
        if s != scene:
            continue
        if voice == "own" and who is not None:
            continue
        if kind == "readings":
            if stance == "endorses":
                out.add(r)
        else:
            out.add((stance, r, who))
    return frozenset(out)


def distance(kind, a, b):
    if not a and not b:
        return 0.0
    inter, union = len(a & b), len(a | b)
    if kind == "nominal":
        return 0.0 if a == b else 1.0
    if kind == "jaccard":
        return 1 - inter / union
    m = 1 if a == b else 2 / 3 if (a <= b or b <= a) else 1 / 3 if inter else 0
    return 1 - inter / union * m


def alpha(units, kind):
    o = {}
    for vals in units:
        m = len(vals)
        if m < 2:
            continue
        for i in range(m):
            for j in range(m):
                if i != j:
                    o[(vals[i], vals[j])] = o.get((vals[i], vals[j]), 0) + 1 / (m - 1)
    n_c = {}
    for (c, _), w in o.items():
        n_c[c] = n_c.get(c, 0) + w
    n = sum(n_c.values())
    if n == 0:
        return None
    d_o = sum(w * distance(kind, c, k) for (c, k), w in o.items()) / n
    d_e = sum(a * b * distance(kind, c, k) for c, a in n_c.items() for k, b in n_c.items())
    d_e /= n * (n - 1)
    return None if d_e == 0 else 1 - d_o / d_e


def main():
    work_dir = sys.argv[1]
    kind = sys.argv[sys.argv.index("--value") + 1] if "--value" in sys.argv else "readings"
    default_voice = "own" if kind == "readings" else "all"
    voice = sys.argv[sys.argv.index("--voice") + 1] if "--voice" in sys.argv else default_voice
    n_scenes, coders = load(work_dir)
    sources = sorted({s for c in coders.values() for s in c})
    units = []  # per unit: {coder: value}
    for source in sources:
        of = {c: codings[source] for c, codings in coders.items() if source in codings}
        for scene in range(n_scenes):
            vals = {c: value(claims, scene, kind, voice) for c, claims in of.items()}
            if any(vals.values()):
                units.append(vals)
    values = [list(u.values()) for u in units]
    pairable = [v for v in values if len(v) >= 2]
    out = {
        "units": len(units),
        "pairable_units": len(pairable),
        "pairable_values": sum(len(v) for v in pairable),
        "alpha": {d: alpha(values, d) for d in ("nominal", "masi", "jaccard")},
        "pairs": [],
    }
    for a, b in combinations(sorted(coders), 2):
        shared = [(u[a], u[b]) for u in units if a in u and b in u and (u[a] or u[b])]
        out["pairs"].append({
            "left": a,
            "right": b,
            "shared_units": len(shared),
            "alpha": alpha([list(p) for p in shared], "masi"),
            "identical": sum(x == y for x, y in shared) / len(shared) if shared else None,
        })
    json.dump(out, sys.stdout, indent=1)
    print()


main()
