#!/usr/bin/env bash
# Times `parallax check --texts DIR` on two hostile quote checks, each a corpus of one source
# whose archived text lives in DIR, and prints wall time and peak memory:
#
# * elided: a 2 MB text that repeats a few short words, and quotes of 1,200 parts
#   (`la … lo … la …`): one that occurs, one whose last part is nowhere in the text, and one
#   whose last part occurs only once, far from where the other parts first fit;
# * long: a 3 MB text of prose-like made-up words and a 20,000-word quote of it with one
#   word in fifty changed and a sentence left out, so the check must find the closest
#   passage of a very long quote.
#
#   bash benches/quotes_hostile.sh
#   BIN=/path/to/parallax RUNS=1 bash benches/quotes_hostile.sh   # another build
#
# Needs python3, hyperfine (Debian: apt-get install hyperfine) and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
root=${BENCH_DIR:-/tmp/parallax-bench}/quotes-hostile
runs=${RUNS:-3}
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --bin parallax
fi
bin=${BIN:-$PWD/target/release/parallax}

python3 - "$root" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random(5)
WORK = '[work]\ntitle = "Bench"\n\n[[scene]]\nid = "s"\ntitle = "S"\n\n[[reading]]\nid = "r"\nlabel = "R"\n'

def corpus(name, text, quotes):
    base = f"{root}/{name}"
    os.makedirs(f"{base}/c/w/sources", exist_ok=True)
    os.makedirs(f"{base}/texts", exist_ok=True)
    open(f"{base}/texts/t.txt", "w").write(text)
    open(f"{base}/c/w/work.toml", "w").write(WORK)
    with open(f"{base}/c/w/sources/src.toml", "w") as f:
        f.write('[source]\ntitle = "T"\ntext = "t.txt"\n')
        for i, q in enumerate(quotes):
            q = q.replace("\\", "").replace('"', '\\"')
            f.write(f'\n[[claim]]\nscene = "s"\nreading = "r"\nsummary = "Claim {i}."\nquote = "{q}"\n')
    print(f"{name}: text {len(text.encode())} bytes, {len(quotes)} quotes of "
          f"{', '.join(str(len(q.split())) for q in quotes)} words")

# elided: few distinct words, each occurring some 300,000 times
small = ["la", "lo"]
words = []
size = 0
while size < 2_000_000:
    w = rng.choice(small)
    words.append(w)
    size += len(w) + 1
middle = len(words) // 2
words[middle] = "lu"  # the one occurrence of `lu`
text = " ".join(words)
parts = [rng.choice(small) for _ in range(1199)]
corpus("elided", text, [
    " … ".join(parts + ["la"]),
    " … ".join(parts + ["zu"]),
    " … ".join(parts + ["lu"]),
])

# long: a Zipf-distributed vocabulary of 8,000 made-up words, as in natural prose
syll = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "ve", "do", "pa", "ri", "en", "or", "al", "th", "an"]
vocab = sorted({"".join(rng.choice(syll) for _ in range(rng.randint(1, 4))) for _ in range(20000)})[:8000]
rng.shuffle(vocab)
weights = [1 / (r + 1) ** 1.07 for r in range(len(vocab))]
sentences, size = [], 0
while size < 3_000_000:
    s = " ".join(rng.choices(vocab, weights, k=rng.randint(6, 24)))
    s = s[0].upper() + s[1:] + "."
    sentences.append(s)
    size += len(s) + 1
text = " ".join(sentences)
words = text.split(" ")
start = len(words) // 3
quote = words[start:start + 20_000]
for i in range(25, len(quote), 50):
    quote[i] = "zebra"
del quote[10_000:10_015]
corpus("long", text, [" ".join(quote)])
PY

# `check` exits 1 here (some quotes are not found, as they should not be): ignore its status
for case in elided long; do
  dir=$root/$case
  cmd="$bin --corpus $dir/c check --texts $dir/texts"
  hyperfine -N --runs "$runs" -i --export-json "$root/h.json" "$cmd" >/dev/null 2>&1
  secs=$(python3 -c "import json;r=json.load(open('$root/h.json'))['results'][0];print(f\"{r['mean']:.2f} s ± {r['stddev'] or 0:.2f} wall, {r['user']:.2f} s user\")")
  kib=$({ /usr/bin/time -f %M $cmd >/dev/null 2>"$root/time.err" || true; } && tail -1 "$root/time.err")
  found=$({ $cmd --format json 2>/dev/null || true; } | python3 -c "import json,sys; r=json.load(sys.stdin); print(r['quotes_checked'] - len(r['errors']), 'of', r['quotes_checked'], 'found')")
  echo "$case: $secs, peak $((kib / 1024)) MiB, $found"
done
