#!/usr/bin/env bash
# Regenerates the pictures of README.md and GUIDE.md from the current code: the seed
# article, June 2018 of a Libya dump given as the first argument (the pictures use the ANT
# corpus's ant-libya-2018.jsonl, Chouigui et al.), and, given a second, the default
# drawing of a whole dump (the pictures use the 2018 ANT news corpus,
# ant-news-2018.jsonl.gz), drawn by Graphviz and, as HTML reports, shot in headless
# Chromium (Debian packages graphviz and chromium).
set -euo pipefail
libya="$(realpath "${1:?usage: docs/pictures.sh LIBYA.jsonl [WHOLE-DUMP.jsonl.gz], such as ant-libya-2018.jsonl and ant-news-2018.jsonl.gz of the ANT corpus}")"
whole="${2:+$(realpath "$2")}"
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo build --release --quiet
./target/release/actorgraph extract fixtures/seed-article.jsonl -o "$out/seed"
dot -Tpng "$out/seed/graph.dot" -o docs/seed-graph.png
./target/release/actorgraph extract "$libya" -o "$out/libya" \
  --since 2018-06 --until 2018-06
dot -Tpng "$out/libya/graph.dot" -o docs/libya-2018-06.png

# The HTML reports, shot with an edge's evidence open: the seed's Sarraj–Conte meeting,
# and the whole Libya year's report with its time slider on June 2018.
shoot() {
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,860 \
    --virtual-time-budget=8000 --user-data-dir="$out/chromium" --screenshot="$1" "$2" 2>/dev/null
}
./target/release/actorgraph report "$out/seed/articles.jsonl" -o "$out/seed.html"
shoot docs/report-seed.png "file://$out/seed.html#edge=sarraj,conte,meets"
./target/release/actorgraph extract "$libya" -o "$out/libya-year" --report "$out/libya.html"
shoot docs/report-libya-2018-06.png "file://$out/libya.html#month=2018-06&edge=maiteeq,salvini,meets"

# The default drawing of a whole dump: graph.dot as extract writes it, its top actors.
if [ -n "$whole" ]; then
  ./target/release/actorgraph extract "$whole" -o "$out/whole"
  dot -Tsvg "$out/whole/graph.dot" -o docs/ant-2018.svg
fi
