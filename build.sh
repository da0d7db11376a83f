#!/usr/bin/env bash
# Render out/<cluster>/ from vars files.
#
#   ./build.sh                          every vars/*.jsonnet and vars/*.json
#   ./build.sh vars/example-aws.jsonnet the given clusters (any kpgen build flags too)
#
# Builds kpgen into bin/, fetches the Jsonnet dependencies into jsonnet/vendor
# when they are missing or differ from jsonnet/jsonnetfile.lock.json, then runs
# `kpgen build`. Needs Go and git.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

for tool in go git; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build.sh: $tool is required but not installed" >&2
    exit 2
  fi
done

version="$(git -C "$here" describe --tags --always --dirty 2>/dev/null || echo dev)"
(cd "$here" && go build -ldflags "-X github.com/kpgen/kpgen/internal/cli.Version=$version" -o bin/kpgen ./cmd/kpgen)

"$here/bin/kpgen" vendor --root "$here" --quiet
exec "$here/bin/kpgen" build --root "$here" "$@"
