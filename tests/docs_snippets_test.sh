#!/usr/bin/env bash
# Every ```cpp snippet of docs/*.md whose first line names an example ("// examples/x.cpp") must be
# taken from that example: each of its lines, without leading blanks, occurs in the file. So the
# snippets are compiled and run (as the examples are), and a changed example cannot leave a stale doc.
# Usage: docs_snippets_test.sh <source dir>
set -euo pipefail
root="$1"
failures=0
checked=0
list="$(mktemp)"
trap 'rm -f "$list"' EXIT
for doc in "$root"/docs/*.md; do
  awk -v doc="$(basename "$doc")" '
    /^```cpp$/ { inside = 1; first = 1; next }
    /^```$/ { inside = 0; file = ""; next }
    inside && first { first = 0; if ($0 ~ /^\/\/ examples\/[a-z_]+\.cpp$/) { file = substr($0, 4) } next }
    inside && file != "" { line = $0; sub(/^[ \t]+/, "", line); if (line != "") print doc "\t" file "\t" line }
  ' "$doc" > "$list"
  while IFS=$'\t' read -r name file line; do
    checked=$((checked + 1))
    if ! grep -qF -- "$line" "$root/$file"; then
      echo "$name: a line of a snippet from $file is not in it: $line" >&2
      failures=$((failures + 1))
    fi
  done < "$list"
done
echo "checked $checked snippet lines, $failures not found"
[ "$checked" -gt 0 ] && [ "$failures" -eq 0 ]
