#!/usr/bin/env bash
# Builds the page (release, offline) and serves dist/ on http://127.0.0.1:$PORT/ (default 8080).
#   bash tests/scripts/serve.sh             setup, build, serve
#   bash tests/scripts/serve.sh --no-build  serve the dist/ already built
# dist/ is a plain static folder: any static server at any sub-path works (see README).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$root"
PORT="${PORT:-8080}"

if [ "${1:-}" != "--no-build" ]; then
  bash tests/scripts/setup.sh
  t=$(date +%s)
  RUST_BACKTRACE=0 trunk build --release --offline   # no backtrace noise on a compile error
  echo "[serve] built dist/ in $(( $(date +%s) - t ))s"
fi
[ -f dist/index.html ] || { echo "serve: dist/index.html is missing; build first" >&2; exit 1; }

echo "[serve] http://127.0.0.1:$PORT/   (Ctrl-C stops)"
# Python's standard http.server, with .wasm forced to application/wasm (needed by
# WebAssembly.instantiateStreaming) and no caching, so a rebuild shows at once.
exec python3 - "$PORT" "$root/dist" <<'PY'
import functools, http.server, sys
port, directory = int(sys.argv[1]), sys.argv[2]
class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript"}
    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=directory))
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
PY
