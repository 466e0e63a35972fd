#!/usr/bin/env bash
# Times `parallax check` on one source whose archived text is 5 MB and whose 500 quotes
# must be found in it (450 verbatim, 50 with one word changed, which makes the check look
# for the closest passage and fail, as it should).
#
#   bash benches/quotes.sh
#
# Needs python3, hyperfine (Debian: apt-get install hyperfine) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/parallax-bench}/quotes
cargo build --release --quiet --bin parallax
bin=$PWD/target/release/parallax

python3 - "$dir" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random(11)
# a Zipf-distributed vocabulary of 8,000 made-up words, as in natural prose
syll = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "ve", "do", "pa", "ri", "en", "or", "al", "th", "an"]
vocab = sorted({"".join(rng.choice(syll) for _ in range(rng.randint(1, 4))) for _ in range(20000)})[:8000]
rng.shuffle(vocab)
weights = [1 / (r + 1) ** 1.07 for r in range(len(vocab))]
def sample(n):
    return rng.choices(vocab, weights, k=n)
os.makedirs(f"{root}/w/sources", exist_ok=True)
os.makedirs(f"{root}/w/texts", exist_ok=True)
paras, size = [], 0
while size < 5_000_000:
    sentences = []
    for _ in range(rng.randint(3, 8)):
        n = rng.randint(6, 24)
        s = " ".join(sample(n))
        s = s[0].upper() + s[1:]
        if rng.random() < 0.2:
            s = s.replace(" ", " — ", 1)
        if rng.random() < 0.2:
            s = "“" + s + "”"
        sentences.append(s + ".")
    p = " ".join(sentences)
    paras.append(p)
    size += len(p.encode()) + 2
text = "\n\n".join(paras)
open(f"{root}/w/texts/big.txt", "w").write(text)
with open(f"{root}/w/work.toml", "w") as f:
    f.write('[work]\ntitle = "Bench"\n\n[[scene]]\nid = "s"\ntitle = "S"\n\n[[reading]]\nid = "r"\nlabel = "R"\n')
with open(f"{root}/w/sources/src.toml", "w") as f:
    f.write('[source]\ntitle = "Big"\ntext = "big.txt"\n')
    for i in range(500):
        p = rng.choice(paras).split(" ")
        start = rng.randint(0, max(0, len(p) - 25))
        q = p[start:start + rng.randint(6, 25)]
        if i % 10 == 9:
            k = rng.randrange(len(q))
            q[k] = "zebra"
        q = " ".join(q).replace("\\", "").replace('"', '\\"')
        f.write(f'\n[[claim]]\nscene = "s"\nreading = "r"\nsummary = "Claim {i}."\nquote = "{q}"\n')
print(f"text: {len(text.encode())} bytes, 500 quotes")
PY
hyperfine -N --warmup 1 --runs 10 -i "$bin --corpus $dir check" 2>&1 | grep -E "Time|Range"
/usr/bin/time -f %M -o "$dir.mem" "$bin" --corpus "$dir" check >/dev/null 2>&1 || true
echo "peak KiB: $(tail -1 "$dir.mem")"
"$bin" --corpus "$dir" check --format json | python3 -c "import json,sys; r=json.load(sys.stdin); print('quotes checked:', r['quotes_checked'], '- not found:', len(r['errors']))" || true
