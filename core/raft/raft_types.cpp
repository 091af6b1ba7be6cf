// Names of Raft's enums and the timing presets (see raft_types.hpp).
#include "core/raft/raft_types.hpp"

#include <algorithm>
#include <iterator>

namespace dsplay {

const char* raft_op_name(RaftOp op) {
  switch (op) {
    case RaftOp::noop: return "noop";
    case RaftOp::put: return "put";
    case RaftOp::session_open: return "session_open";
    case RaftOp::keepalive: return "keepalive";
    case RaftOp::acquire: return "acquire";
    case RaftOp::release: return "release";
    case RaftOp::expire: return "expire";
  }
  return "?";
}

const char* raft_client_status_name(RaftClientStatus status) {
  switch (status) {
    case RaftClientStatus::ok: return "ok";
    case RaftClientStatus::not_leader: return "not_leader";
    case RaftClientStatus::busy: return "busy";
    case RaftClientStatus::no_session: return "no_session";
  }
  return "?";
}

namespace {
constexpr const char* kBugNames[] = {"none", "commit_old_terms", "vote_ignores_log", "forget_vote_on_crash", "skip_consistency_check"};
}  // namespace

const char* raft_bug_name(RaftBug bug) { return kBugNames[static_cast<int>(bug)]; }

bool parse_raft_bug(const std::string& text, RaftBug& out) {
  for (int i = 0; i < static_cast<int>(std::size(kBugNames)); ++i) {
    if (text == kBugNames[i]) {
      out = static_cast<RaftBug>(i);
      return true;
    }
  }
  return false;
}

const char* raft_client_mode_name(RaftClientMode mode) {
  switch (mode) {
    case RaftClientMode::lock: return "lock";
    case RaftClientMode::put: return "put";
    case RaftClientMode::manual: return "manual";
  }
  return "?";
}

RaftConfig raft_preset(RaftPreset preset, RaftConfig base) {
  switch (preset) {
    case RaftPreset::paper:
      base.election_timeout_min_us = 150 * kUsPerMs;
      base.election_timeout_max_us = 300 * kUsPerMs;
      base.heartbeat_us = 50 * kUsPerMs;
      break;
    case RaftPreset::etcd:
      // etcd: --heartbeat-interval=100ms, --election-timeout=1000ms; a follower's timeout is
      // randomized in [election, 2 x election).
      base.election_timeout_min_us = 1000 * kUsPerMs;
      base.election_timeout_max_us = 2000 * kUsPerMs;
      base.heartbeat_us = 100 * kUsPerMs;
      break;
  }
  return base;
}

SimTimeUs typical_round_trip_us(const LinkConfig& link) {
  const LatencyModel& l = link.latency;
  SimTimeUs mean_us = l.min_us;
  switch (l.kind) {
    case LatencyKind::constant: mean_us = l.min_us; break;
    case LatencyKind::uniform: mean_us = (l.min_us + l.max_us) / 2; break;
    case LatencyKind::long_tail: {
      // min * (1 + u) * 2^k, k ~ Geometric(p): mean ~ 1.5 min (1 - p) / (1 - 2p), capped at max.
      const SimTimeUs p = l.tail_percent;
      mean_us = p >= 50 ? l.max_us : std::min(l.max_us, l.min_us * 3 * (100 - p) / (2 * (100 - 2 * p)));
      break;
    }
  }
  return 2 * mean_us + (link.reorder_ppm > 0 ? link.reorder_window_us * link.reorder_ppm / 1'000'000 : 0);
}

std::string raft_timing_warning(const RaftConfig& config, const LinkConfig& link) {
  const SimTimeUs rtt_us = typical_round_trip_us(link);
  if (config.heartbeat_us >= config.election_timeout_min_us)
    return "the heartbeat (" + format_duration(config.heartbeat_us) + ") is not shorter than the election timeout (" +
           format_duration(config.election_timeout_min_us) + "): followers will start elections under a live leader";
  if (config.election_timeout_min_us < 10 * rtt_us)
    return "the election timeout (" + format_duration(config.election_timeout_min_us) + ") is under 10 x the network round trip (" +
           format_duration(rtt_us) + "): expect needless elections (Raft §5.6: broadcastTime << electionTimeout)";
  return {};
}

}  // namespace dsplay
