#!/usr/bin/env bash
# Regenerates the pictures of README.md and GUIDE.md from the current code: the seed
# article, and June 2018 of a Libya dump given as the argument (the pictures use the ANT
# corpus's ant-libya-2018.jsonl, Chouigui et al.).
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
