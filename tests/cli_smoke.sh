#!/usr/bin/env bash
# Smoke test of the `dsplay` CLI binary: exit codes (0 ok, 1 violation, 2 bad input), one-line
# errors naming the flag, JSON summary keys, --trace output, check and hash.
# Usage: tests/cli_smoke.sh path/to/dsplay   (a wasm build: "node --no-experimental-fetch path/to/dsplay.js")
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dsplay=${1:?usage: cli_smoke.sh DSPLAY}
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
failed=0
# expect CODE DESCRIPTION -- command...
expect() {
  local want="$1" what="$2"; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL $what: exit $got, want $want"; sed 's/^/  stderr: /' "$tmp/err" | head -5; failed=1
  else
    echo "ok   $what"
  fi
}
contains() {  # contains FILE TEXT DESCRIPTION
  if grep -qF -- "$2" "$1"; then echo "ok   $3"; else echo "FAIL $3: no \"$2\" in $1 output"; head -5 "$1" | sed 's/^/  /'; failed=1; fi
}
s="$here/assets/scenarios"

expect 2 "no arguments" -- $dsplay
expect 0 "--help" -- $dsplay --help
expect 2 "unknown command" -- $dsplay frobnicate
for cmd in run check hash; do expect 0 "$cmd --help" -- $dsplay $cmd --help; contains "$tmp/out" "Usage: dsplay $cmd" "$cmd --help text"; done

expect 0 "run welcome" -- $dsplay run "$s/welcome.json"
for key in '"scenario"' '"seed"' '"events"' '"sim_time_us"' '"trace_hash"' '"messages"' '"violations"' '"token_lock"' '"ring"' '"cache"'; do
  contains "$tmp/out" "$key" "run summary has $key"
done
cp "$tmp/out" "$tmp/first.json"
expect 0 "run welcome again" -- $dsplay run "$s/welcome.json"
if cmp -s "$tmp/out" "$tmp/first.json"; then echo "ok   same scenario, same output"; else echo "FAIL same scenario gave different output"; failed=1; fi
expect 0 "run with --seed and --until" -- $dsplay run "$s/welcome.json" --seed 99 --until=5s
contains "$tmp/out" '"seed": 99' "--seed is used"
contains "$tmp/out" '"sim_time_us": 5000000' "--until is used"
expect 1 "coordinator crash finds a violation" -- $dsplay run "$s/token_coordinator_crash.json"
contains "$tmp/out" "two holders" "the violation is named"
expect 0 "run --trace" -- $dsplay run "$s/token_lock.json" --until 2s --trace
contains "$tmp/err" "TokenGrant" "trace lines on stderr"
expect 0 "run --trace-out" -- $dsplay run "$s/token_lock.json" --until 2s --trace-out "$tmp/trace.txt"
contains "$tmp/trace.txt" "TokenRequest" "trace file written"
# Writing the trace or exports must not change the run. redlock_happy has a cancelled timer just
# before its end, which a step loop once skipped into a live event past `until`.
expect 0 "run redlock_happy" -- $dsplay run "$s/redlock_happy.json"
cp "$tmp/out" "$tmp/plain.json"
expect 0 "run redlock_happy --trace-out" -- $dsplay run "$s/redlock_happy.json" --trace-out "$tmp/trace.txt"
if cmp -s "$tmp/out" "$tmp/plain.json"; then echo "ok   --trace-out gives the same run"; else echo "FAIL --trace-out changed the run"; diff "$tmp/plain.json" "$tmp/out" | head -6; failed=1; fi
expect 0 "run redlock_happy --export-csv" -- $dsplay run "$s/redlock_happy.json" --export-csv "$tmp/run.csv"
if cmp -s "$tmp/out" "$tmp/plain.json"; then echo "ok   --export-csv gives the same run"; else echo "FAIL --export-csv changed the run"; diff "$tmp/plain.json" "$tmp/out" | head -6; failed=1; fi

expect 2 "run unknown flag" -- $dsplay run "$s/welcome.json" --sed 3
contains "$tmp/err" "--sed: unknown flag" "unknown flag is named"
expect 2 "run bad seed" -- $dsplay run "$s/welcome.json" --seed minus
contains "$tmp/err" "--seed:" "bad seed names the flag"
expect 2 "run bad duration" -- $dsplay run "$s/welcome.json" --until soon
expect 2 "run missing file" -- $dsplay run "$tmp/nope.json"
contains "$tmp/err" "nope.json: cannot read" "missing file is named"
expect 2 "run invalid scenario" -- $dsplay run "$here/tests/scenarios/bad/unknown_role.json"
contains "$tmp/err" 'unknown_role.json: $.nodes[2].role: unknown role "cashe"' "parse error with file and path"

expect 0 "check good files" -- $dsplay check "$s"/*.json "$here"/tests/scenarios/*.json
contains "$tmp/out" "welcome.json: ok" "check prints ok"
expect 2 "check bad files" -- $dsplay check "$here"/tests/scenarios/bad/*.json
contains "$tmp/out" 'unknown_top_key.json: $.nodez: unknown key' "check prints each problem"

printf 'key-0\nkey-1\nuser:42\n' >"$tmp/keys"
expect 0 "hash ring" -- sh -c "$dsplay hash --algo ring --nodes a,b,c < '$tmp/keys'"
contains "$tmp/out" "$(printf 'key-0\ta')" "hash ring: key-0 on a (pinned)"
expect 0 "hash mod" -- sh -c "$dsplay hash --algo mod --nodes a,b,c < '$tmp/keys'"
contains "$tmp/out" "$(printf 'key-1\tc')" "hash mod: key-1 on c (pinned)"
expect 2 "hash no nodes" -- sh -c "$dsplay hash --algo ring < '$tmp/keys'"
expect 2 "hash empty node list" -- sh -c "$dsplay hash --nodes '' < '$tmp/keys'"
expect 2 "hash bad algo" -- sh -c "$dsplay hash --algo rnig --nodes a < '$tmp/keys'"
contains "$tmp/err" "--algo:" "bad algo names the flag"
# every placement of core/balance/, pinned (ketama takes host:port names, as libmemcached does)
n3=10.0.0.1:11211,10.0.0.2:11211,10.0.0.3:11211
for algo in ketama jump rendezvous maglev bounded; do
  expect 0 "hash $algo" -- sh -c "$dsplay hash --algo $algo --nodes $n3 < '$tmp/keys'"
  cp "$tmp/out" "$tmp/hash_$algo"
done
contains "$tmp/hash_ketama" "$(printf 'key-0\t10.0.0.3:11211')" "hash ketama: key-0 on 10.0.0.3 (pinned)"
contains "$tmp/hash_jump" "$(printf 'key-1\t10.0.0.1:11211')" "hash jump: key-1 on 10.0.0.1 (pinned)"
contains "$tmp/hash_rendezvous" "$(printf 'user:42\t10.0.0.2:11211')" "hash rendezvous: user:42 on 10.0.0.2 (pinned)"
contains "$tmp/hash_maglev" "$(printf 'key-1\t10.0.0.2:11211')" "hash maglev: key-1 on 10.0.0.2 (pinned)"
contains "$tmp/hash_bounded" "$(printf 'key-1\t10.0.0.3:11211')" "hash bounded: key-1 on 10.0.0.3 (pinned)"
expect 2 "hash maglev with a table size that is not prime" -- sh -c "$dsplay hash --algo maglev --table-size 1000 --nodes a,b < '$tmp/keys'"
contains "$tmp/err" "--table-size:" "non-prime table size names the flag"
expect 2 "hash --points with jump" -- sh -c "$dsplay hash --algo jump --points 5 --nodes a,b < '$tmp/keys'"
expect 2 "hash ketama weights count" -- sh -c "$dsplay hash --algo ketama --weights 1,2 --nodes a,b,c < '$tmp/keys'"

# a balancing scenario: per-server counts, drops, latency percentiles, imbalance
expect 0 "run balancing" -- $dsplay run "$s/lb_round_robin_slow_server.json" --until 20s
for key in '"balancing"' '"servers"' '"dropped"' '"p50"' '"p90"' '"p99"' '"imbalance"' '"max_over_mean"'; do
  contains "$tmp/out" "$key" "balancing summary has $key"
done
# Raft: the run summary, the experiments (small), exit codes
expect 0 "run raft lock service" -- $dsplay run "$s/raft_lock_service.json"
for key in '"raft"' '"leader"' '"lock_acquisitions"' '"commit_index"'; do contains "$tmp/out" "$key" "raft summary has $key"; done
expect 0 "experiment --help" -- $dsplay experiment --help
contains "$tmp/out" "raft-fig16" "experiment list names raft-fig16"
expect 2 "experiment unknown" -- $dsplay experiment frobnicate
expect 0 "experiment raft-fig16 --json (few trials)" -- $dsplay experiment raft-fig16 --trials 5 --line 150-300 --json
for key in '"timeout_ms"' '"median_ms"' '"mean_ms"' '"max_ms"' '"over_10s_fraction"'; do contains "$tmp/out" "$key" "fig16 json has $key"; done
expect 2 "experiment raft-fig16 bad line" -- $dsplay experiment raft-fig16 --line 300-150
expect 0 "experiment raft-sweep (20 seeds)" -- $dsplay experiment raft-sweep --seeds 20
expect 1 "experiment raft-sweep with a bug finds it" -- $dsplay experiment raft-sweep --seeds 20 --bug vote_ignores_log
# NAB: the anomaly detectors on the corpus (skipped when ../shared/data/nab is absent)
expect 2 "experiment nab with a missing data dir" -- $dsplay experiment nab --data "$tmp/no_nab"
contains "$tmp/err" "--data:" "missing NAB dir names the flag"
nab="$here/../shared/data/nab"
if [ -f "$nab/labels/combined_windows.json" ]; then
  expect 0 "experiment nab --json" -- $dsplay experiment nab --data "$nab" --json
  contains "$tmp/out" '"detector": "rls"' "nab json has the rls detector"
  contains "$tmp/out" '"category": "all"' "nab json has the totals row"
  expect 0 "experiment nab table" -- $dsplay experiment nab --data "$nab"
  contains "$tmp/out" "threshold     all                           63      116     529      0.106   0.543  0.178" "nab baseline totals (docs/MONITORING.md)"
else
  echo "skip experiment nab: no corpus at $nab"
fi
# lessons: check validates them, lesson run plays them with their solutions, lesson link makes share links
l="$here/lessons"
expect 0 "check lessons" -- $dsplay check "$l"/*.json
contains "$tmp/out" "locks_token_coordinator.json: ok (lesson)" "check says a lesson is a lesson"
expect 0 "lesson run" -- $dsplay lesson run "$l/locks_token_coordinator.json"
contains "$tmp/out" "ok: 6 of 6 steps pass" "lesson run reports every step"
expect 0 "lesson run --json" -- $dsplay lesson run --json "$l/hashing_modulo_vs_ring.json"
contains "$tmp/out" '"gate_met": true' "lesson run --json has the gates"
printf '{"name": "x", "title": "X", "scenario": "token_lock", "steps": [{"title": "a", "text": "b", "gate": {"kind": "node_down", "node": "nobody"}, "solution": []}]}' > "$tmp/bad_lesson.json"
expect 2 "check a bad lesson" -- $dsplay check "$tmp/bad_lesson.json"
contains "$tmp/out" 'bad_lesson.json: $.steps[0].gate.node: unknown node "nobody"' "a bad lesson's error names file and path"
printf '{"name": "x", "title": "X", "scenario": "token_lock", "steps": [{"title": "a", "text": "b", "gate": {"kind": "node_down", "node": "coord"}, "solution": []}]}' > "$tmp/unsolved.json"
expect 1 "lesson run with a gate its solution does not meet" -- $dsplay lesson run --scenarios "$s" "$tmp/unsolved.json"
contains "$tmp/out" "the gate does not hold after the solution" "lesson run says why a step fails"
expect 0 "lesson link" -- $dsplay lesson link --step 2 --base https://example.org/dsplay/ "$l/locks_token_coordinator.json"
contains "$tmp/out" "https://example.org/dsplay/#share=1." "lesson link prints a share link"
exit "$failed"
