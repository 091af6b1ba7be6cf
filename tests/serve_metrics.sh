#!/usr/bin/env bash
# Claim: a real Prometheus scrapes `dsplay run --serve-metrics` while the simulation runs. Starts the
# CLI on a free port, checks the endpoint's answers (200 + promtool-valid text on /metrics, 404,
# 405), then runs Debian's prometheus against it and waits until a query shows the scraped series
# (target up, the event counter growing between scrapes). Usage: tests/serve_metrics.sh path/to/dsplay
set -euo pipefail
dsplay="$1"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "serve_metrics: FAIL: $*" >&2; [ -f "$work/run.err" ] && sed 's/^/  run: /' "$work/run.err" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Bad addresses are refused with a one-line error and exit 2.
set +e
"$dsplay" run "$here/assets/scenarios/lb_p2c.json" --serve-metrics nonsense >/dev/null 2>"$work/bad.err"; rc=$?
set -e
[ "$rc" = 2 ] || fail "--serve-metrics nonsense: exit $rc, expected 2"
grep -q -- "--serve-metrics: expected HOST:PORT" "$work/bad.err" || fail "bad address message: $(cat "$work/bad.err")"

"$dsplay" run "$here/assets/scenarios/lb_round_robin_slow_server.json" --until 10m --serve-metrics 127.0.0.1:0 --speed 5 \
  >"$work/run.out" 2>"$work/run.err" &
pids+=($!)
url=""
for _ in $(seq 50); do
  url="$(grep -o 'http://[^ ]*/metrics' "$work/run.err" || true)"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || fail "the CLI did not report its address"
code="$(curl -s -o "$work/m1.txt" -w '%{http_code}' "$url")"
[ "$code" = 200 ] || fail "GET /metrics: HTTP $code"
promtool check metrics <"$work/m1.txt" || fail "promtool rejected the served metrics"
[ "$(curl -s -o /dev/null -w '%{http_code}' "${url%/metrics}/")" = 404 ] || fail "GET / should be 404"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url")" = 405 ] || fail "POST /metrics should be 405"

# A real Prometheus scraping every second.
target="${url#http://}"; target="${target%/metrics}"
prom_port="$(free_port)"
cat >"$work/prometheus.yml" <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: dsplay
    static_configs:
      - targets: ['$target']
YML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prom.log" 2>&1 &
pids+=($!)
query() { curl -s "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" 2>/dev/null || true; }
ok=""
for _ in $(seq 60); do
  sleep 0.5
  up="$(query 'up{job="dsplay"}')"
  grown="$(query 'increase(dsplay_events_total{job="dsplay"}[1m]) > 0')"
  if grep -q '"value":\[[0-9.]*,"1"\]' <<<"$up" && grep -q '"result":\[{' <<<"$grown"; then ok=1; break; fi
done
[ -n "$ok" ] || { sed 's/^/  prometheus: /' "$work/prom.log" | tail -5 >&2; fail "Prometheus never saw the target up with a growing event counter (last: $up / $grown)"; }
echo "serve_metrics: ok ($url scraped by Prometheus on :$prom_port)"
