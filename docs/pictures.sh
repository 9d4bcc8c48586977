#!/usr/bin/env bash
# Regenerates the README pictures from the current code: the seed article, and June
# 2018 of the Libya corpus (../shared/corpus/ant-libya-2018.jsonl, beside this repository).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo build --release --quiet
./target/release/actorgraph extract fixtures/seed-article.jsonl -o "$out/seed"
dot -Tpng "$out/seed/graph.dot" -o docs/seed-graph.png
./target/release/actorgraph extract ../shared/corpus/ant-libya-2018.jsonl -o "$out/libya" \
  --since 2018-06 --until 2018-06
dot -Tpng "$out/libya/graph.dot" -o docs/libya-2018-06.png
