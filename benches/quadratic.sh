#!/usr/bin/env bash
# Each case that once took time or memory quadratic in its input, run at size N and 2N with
# the release binary: the table gives wall time and peak resident memory (GNU time's %M) at
# both sizes and their ratios. Linear work doubles (ratio ~2, at most ~2.2); quadratic work
# quadruples. Small cases are dominated by the fixed cost of starting, so the sizes are large.
#
#   bash benches/quadratic.sh
#   CASES="claims voices-excerpts" bash benches/quadratic.sh     # some cases only
#   PARALLAX_BIN=/path/to/old/parallax bash benches/quadratic.sh # time another build
#
# Cases:
#   claims           one source, N claims on one scene endorsing and rejecting readings
#                    that exclude each other (the load's self-contradiction warnings)
#   voices-excerpts  one quote of N words and N/100 excerpts of it from other sources
#                    (`voices -f json`: its output, and its time)
#   voices-long      two unrelated quotes of N words that share a few words (the LCS)
#   hyp-titles       an export of N/10 documents sharing one title (import's ids)
#   hyp-tags         an annotation with N distinct tags (import's tag reading)
#   rename           `rename reading` in a work of N/10 claim files
#
# Needs python3 (the generator) and GNU time (Debian: apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."

work=${BENCH_DIR:-/tmp/parallax-quadratic}
cases=${CASES:-"claims voices-excerpts voices-long hyp-titles hyp-tags rename"}
mkdir -p "$work"

[ -n "${PARALLAX_BIN:-}" ] || cargo build --release --quiet --bin parallax
bin=$(realpath "${PARALLAX_BIN:-target/release/parallax}")

# Writes case $1 at size $2 under $3 (a corpus root `c` holding the work `w`, and for the
# imports an export `export.json`).
generate() {
  python3 - "$1" "$2" "$3" <<'EOF'
import json, os, sys
case, n, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
w = os.path.join(root, "c", "w")
os.makedirs(os.path.join(w, "sources"), exist_ok=True)

def write(name, body):
    with open(os.path.join(w, name), "w") as f:
        f.write(body)

readings = "".join(f'[[reading]]\nid = "r{r}"\nlabel = "R{r}"\nexcludes = ["r{(r + 1) % 8}"]\n\n'
                   for r in range(8))
person = '[[person]]\nid = "ada"\nname = "Ada Director"\n'
write("work.toml", '[work]\ntitle = "Q"\n\n[[scene]]\nid = "s"\ntitle = "S"\n\n' + readings + person)

def claim(reading, stance="endorses", extra="", summary="x"):
    return f'[[claim]]\nscene = "s"\nreading = "r{reading}"\nstance = "{stance}"\nsummary = "{summary}"\n{extra}\n'

def words(a, b):
    return " ".join(f"word{i}" for i in range(a, b))

def quoted(i, quote):
    return ('[source]\ntitle = "S"\n\n' + claim(0, extra=f'quote = "{quote}"\n'
            'attributed_to = "Ada Director"\nvia = "Variety"'))

if case == "claims":
    # distinct claims (not duplicates of each other), every reading both endorsed and rejected
    body = "".join(claim(i % 8, "rejects" if i % 3 == 0 else "endorses", summary=f"point {i}")
                   for i in range(n))
    write("sources/a.toml", '[source]\ntitle = "A"\n\n' + body)
elif case == "voices-excerpts":
    write("sources/long.toml", quoted(0, words(0, n)))
    for i in range(n // 100):
        write(f"sources/e{i}.toml", quoted(i, words(i * 100, i * 100 + 6)))
elif case == "voices-long":
    write("sources/a.toml", quoted(0, "alpha beta gamma delta " + words(0, n)))
    write("sources/b.toml", quoted(0, "alpha beta gamma delta " + words(10 * n, 11 * n)))
elif case in ("hyp-titles", "hyp-tags"):
    write("sources/a.toml", '[source]\ntitle = "A"\n\n' + claim(0))
    if case == "hyp-titles":
        rows = [{"id": f"a{i}", "uri": f"https://example.org/{i}", "text": "x",
                 "document": {"title": ["One title"]}, "tags": ["scene:s", "reading:r0"]}
                for i in range(n // 10)]
    else:
        rows = [{"id": "a0", "uri": "https://example.org/0", "text": "x",
                 "document": {"title": ["T"]},
                 "tags": ["scene:s", "reading:r0"] + [f"topic:{i}" for i in range(n)]}]
    with open(os.path.join(root, "export.json"), "w") as f:
        json.dump({"rows": rows}, f)
elif case == "rename":
    for i in range(n // 10):
        write(f"sources/s{i}.toml", '[source]\ntitle = "S"\n\n' + claim(i % 8))
EOF
}

# The command of case $1, run in its folder.
command_of() {
  case $1 in
    claims) echo "--corpus c check" ;;
    voices-*) echo "--corpus c voices -f json" ;;
    hyp-*) echo "--corpus c import hypothesis export.json --dry-run" ;;
    rename) echo "--corpus c rename reading r0 renamed" ;;
  esac
}

size_of() {
  case $1 in
    claims) echo 200000 ;;
    voices-excerpts) echo "${N:-400000}" ;;
    voices-long) echo 100000 ;;
    hyp-titles) echo 40000 ;;
    hyp-tags) echo 200000 ;;
    rename) echo 20000 ;;
  esac
}

# "seconds kilobytes" of one run.
measure() {
  local dir=$1 args=$2
  (cd "$dir" && /usr/bin/time -f "%e %M" -o time.txt "$bin" $args > out.txt 2> err.txt) || true
  cat "$dir/time.txt" | tail -1
}

printf "%-16s %10s %10s %10s %10s %10s %10s %7s %7s\n" case N "time s" "mem MB" 2N "time s" "mem MB" "t ×" "mem ×"
for c in $cases; do
  n=$(size_of "$c")
  results=()
  for size in "$n" $((2 * n)); do
    dir="$work/$c-$size"
    rm -rf "$dir"
    mkdir -p "$dir"
    generate "$c" "$size" "$dir"
    read -r t m < <(measure "$dir" "$(command_of "$c")")
    results+=("$t" "$m")
  done
  python3 - "$c" "$n" "${results[@]}" <<'EOF'
import sys
c, n, t1, m1, t2, m2 = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:])
print(f"{c:<16} {n:>10} {t1:>10.2f} {m1 / 1024:>10.1f} {2 * n:>10} {t2:>10.2f} {m2 / 1024:>10.1f} "
      f"{t2 / max(t1, 0.01):>7.2f} {m2 / max(m1, 1):>7.2f}")
EOF
done
