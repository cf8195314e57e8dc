#!/usr/bin/env bash
# Count a folder of articles and write one CSV per table, ready for Excel (with a BOM) or pandas.
#
#   examples/batch.sh [INPUT_DIR] [OUTPUT_DIR]
#   examples/batch.sh seeds/ results/      # the defaults
#
# Writes OUTPUT_DIR/{documents,frequencies,totals,cooccurrence,cooccurrence_totals}.csv and
# OUTPUT_DIR/cooccurrence-paragraph.csv; exits non-zero if any input could not be read
# (each one is named on stderr), after counting all the others.
set -euo pipefail

input_dir=${1:-seeds/}
output_dir=${2:-results}
policyterms=${POLICYTERMS:-policyterms}

"$policyterms" count "$input_dir" --what all --bom -o "$output_dir/"
"$policyterms" count "$input_dir" --what cooccurrence --unit paragraph --bom -o "$output_dir/cooccurrence-paragraph.csv"
echo "results in $output_dir/" >&2
