#!/usr/bin/env bash
# Regenerates the pictures of README.md and GUIDE.md from the current code: the seed
# article, and June 2018 of a Libya dump given as the argument (the pictures use the ANT
# corpus's ant-libya-2018.jsonl, Chouigui et al.), drawn by Graphviz and, as HTML
# reports, shot in headless Chromium (Debian packages graphviz and chromium).
set -euo pipefail
libya="$(realpath "${1:?usage: docs/pictures.sh LIBYA.jsonl, such as ant-libya-2018.jsonl of the ANT corpus}")"
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
