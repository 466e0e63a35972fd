#!/usr/bin/env bash
# Times the release binary on hostile corpora (SECURITY.md: linear time and memory, no temporary
# file left by an interrupted run). Each case is generated once under $BENCH_DIR and run once;
# the table gives wall time and peak resident memory (GNU time's %M).
#
#   bash benches/hostile.sh
#   PARALLAX_BIN=/path/to/old/parallax bash benches/hostile.sh    # time another build
#   CASES="aliases errors" bash benches/hostile.sh                  # some cases only
#
# A case still running after $TIMEOUT seconds (default 300) is stopped and shown as such.
# Needs python3 (the generator) and GNU time (Debian: apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."

work=${BENCH_DIR:-/tmp/parallax-hostile}
timeout_s=${TIMEOUT:-300}
cases=${CASES:-"quotes errors claims aliases suggestions elided long-quote export"}
mkdir -p "$work"

cargo build --release --quiet --bin parallax --example gen_corpus
bin=${PARALLAX_BIN:-target/release/parallax}
gen=target/release/examples/gen_corpus

# Writes the corpus of one case under $work/$1 (a corpus root holding the work `w`).
generate() {
  python3 - "$work/$1" "$1" <<'EOF'
import os, sys
root, case = sys.argv[1], sys.argv[2]
w = os.path.join(root, "w")
os.makedirs(os.path.join(w, "sources"), exist_ok=True)
os.makedirs(os.path.join(w, "texts"), exist_ok=True)

def work_toml(scenes, readings, aliases=0):
    out = ['[work]\ntitle = "Hostile"\n']
    for s in range(scenes):
        out.append(f'[[scene]]\nid = "s{s}"\ntitle = "Scene {s}"\n')
        if aliases and s == 0:
            out.append("aliases = [" + ", ".join(f'"alias {i}"' for i in range(aliases)) + "]\n")
    for r in range(readings):
        out.append(f'[[reading]]\nid = "r{r}"\nlabel = "Reading {r}"\n')
    return "\n".join(out)

words = ("the ring returns to the hand that gave it and nobody in the car says what the night "
         "has cost them while the snow keeps falling on the windscreen").split()
text = " ".join(words[i % len(words)] + ("." if i % 17 == 16 else "") for i in range(400))

def write(name, body):
    with open(os.path.join(w, name), "w") as f:
        f.write(body)

if case == "quotes":
    # 8,000 quotes, none of them in the text: a 1.1 MB claim file
    write("work.toml", work_toml(1, 1))
    write("texts/t.txt", text)
    claims = [f'[[claim]]\nscene = "s0"\nreading = "r0"\n'
              f'quote = "zebra quantum {i} lanterns over a harbour that the film never shows at all, not once"\n'
              for i in range(8000)]
    write("sources/a.toml", '[source]\ntitle = "A"\ntext = "t.txt"\n\n' + "\n".join(claims))
elif case == "errors":
    # 10,000 claims naming unknown scenes: 10,000 errors in one file
    write("work.toml", work_toml(1, 1))
    claims = [f'[[claim]]\nscene = "nope-{i}"\nreading = "r0"\nsummary = "x"\n' for i in range(10000)]
    write("sources/a.toml", '[source]\ntitle = "A"\n\n' + "\n".join(claims))
elif case == "claims":
    # 100,000 claims in one file; each (scene, reading) is endorsed and then rejected,
    # so every other claim adds a warning
    write("work.toml", work_toml(200, 250))
    claims = []
    for i in range(100000):
        pair, stance = divmod(i, 2)
        s, r = divmod(pair, 250)
        claims.append(f'[[claim]]\nscene = "s{s}"\nreading = "r{r}"\n'
                      f'stance = "{"rejects" if stance else "endorses"}"\nsummary = "claim {i}"\n')
    write("sources/a.toml", '[source]\ntitle = "A"\n\n' + "\n".join(claims))
elif case == "aliases":
    # 30,000 aliases on one scene
    write("work.toml", work_toml(1, 1, aliases=30000))
    write("sources/a.toml", '[source]\ntitle = "A"\n\n[[claim]]\nscene = "s0"\nreading = "r0"\nsummary = "x"\n')
elif case == "suggestions":
    # 10,000 unknown scenes, each close to some of 30,000 aliases: "did you mean" for each
    write("work.toml", work_toml(1, 1, aliases=30000))
    claims = [f'[[claim]]\nscene = "alias-x{i}"\nreading = "r0"\nsummary = "x"\n' for i in range(10000)]
    write("sources/a.toml", '[source]\ntitle = "A"\n\n' + "\n".join(claims))
elif case == "elided":
    # one quote of 1,200 parts joined by …, each part in the text
    write("work.toml", work_toml(1, 1))
    long_text = " ".join(f"w{i} filler words here." for i in range(20000))
    write("texts/t.txt", long_text)
    quote = " … ".join(f"w{i} filler" for i in range(0, 2400, 2))
    write("sources/a.toml", f'[source]\ntitle = "A"\ntext = "t.txt"\n\n[[claim]]\nscene = "s0"\nreading = "r0"\nquote = "{quote}"\n')
elif case == "long-quote":
    # a 20,000-word quote that is not in a text of 40,000 words
    write("work.toml", work_toml(1, 1))
    write("texts/t.txt", " ".join(words[i % len(words)] for i in range(40000)))
    quote = " ".join(f"x{i}" for i in range(20000))
    write("sources/a.toml", f'[source]\ntitle = "A"\ntext = "t.txt"\n\n[[claim]]\nscene = "s0"\nreading = "r0"\nquote = "{quote}"\n')
EOF
}

# Runs a command with a time limit; prints "seconds peak-KiB exit-code".
measure() {
  local out
  out=$(mktemp)
  set +e
  /usr/bin/time -o "$out" -f "%e %M" timeout "$timeout_s" "$@" >/dev/null 2>&1
  local code=$?
  set -e
  # GNU time puts "Command exited with non-zero status N" before the figures
  read -r secs kib < <(tail -n 1 "$out") || true
  rm -f "$out"
  if [ "$code" = 124 ]; then
    echo "timeout(>${timeout_s}s) ${kib:-?} $code"
  else
    echo "$secs $kib $code"
  fi
}

row() { # case, size, measurement
  read -r secs kib code <<<"$3"
  echo "| $1 | $2 | $secs | $kib | $code |"
}

# A 200 MB JSON export is stopped by SIGTERM while it writes: is its temporary file left?
export_case() {
  local dir="$work/export"
  [ -d "$dir" ] || "$gen" "$dir" --sources 190 --scenes 40 --readings 12 --claims 15 --seed 7 >/dev/null
  local out="$work/export-out"
  rm -rf "$out" && mkdir -p "$out"
  row "export, whole (-f json -o)" "190 sources" "$(measure "$bin" --corpus "$dir" export -f json -o "$out/report.json")"
  local size
  size=$(stat -c %s "$out/report.json" 2>/dev/null || echo 0)
  rm -f "$out/report.json"
  "$bin" --corpus "$dir" export -f json -o "$out/report.json" >/dev/null 2>&1 &
  local pid=$!
  # wait until the temporary file holds something, then interrupt
  for _ in $(seq 1 600); do
    if find "$out" -name '.parallax-*.tmp' -size +1M | grep -q .; then break; fi
    sleep 0.05
  done
  kill -TERM "$pid" 2>/dev/null || true
  set +e
  wait "$pid"
  local code=$?
  set -e
  local left
  left=$(find "$out" -name '.parallax-*.tmp' | wc -l)
  echo "| export, SIGTERM while writing | $((size / 1000000)) MB | exit $code | temporary files left: $left | |"
  rm -rf "$out"
}

echo "| case | size | wall s | peak KiB | exit |"
echo "|---|---|---:|---:|---:|"
for c in $cases; do
  case $c in
    export) export_case; continue ;;
  esac
  [ -d "$work/$c" ] || generate "$c"
  bytes=$(du -sb --apparent-size "$work/$c" | cut -f1)
  case $c in
    quotes) label="8,000 failing quotes" ;;
    errors) label="10,000 errors in one file" ;;
    claims) label="100,000 claims in one file" ;;
    aliases) label="30,000 aliases on one scene" ;;
    suggestions) label="10,000 unknown scenes, 30,000 aliases" ;;
    elided) label="a 1,200-part elided quote" ;;
    long-quote) label="a 20,000-word missing quote" ;;
  esac
  row "$label (check)" "$((bytes / 1000)) kB" "$(measure "$bin" --corpus "$work/$c" check)"
done
