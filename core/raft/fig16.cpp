// The Figure 16 experiment (see fig16.hpp): one World per trial, driven by commands only.
#include "core/raft/fig16.hpp"

#include <algorithm>
#include <string>

#include "core/world.hpp"

namespace dsplay {
namespace {

std::string server_name(std::uint32_t i) { return "s" + std::to_string(i + 1); }

// The running leader with the highest term, or kNoNode.
NodeId find_leader(const World& world) {
  NodeId best = kNoNode;
  std::uint64_t term = 0;
  for (NodeId id = 0; id < world.nodes().size(); ++id) {
    const Node& node = world.nodes()[id];
    const auto* raft = std::get_if<RaftNode>(&node.process);
    if (raft != nullptr && node.up && raft->is_leader() && raft->term() >= term) best = id, term = raft->term();
  }
  return best;
}

// A leader whose term everyone shares and whose whole log every follower has acknowledged.
bool settled(const World& world, NodeId leader) {
  if (leader == kNoNode) return false;
  const auto& l = std::get<RaftNode>(world.nodes()[leader].process);
  for (std::size_t i = 0; i < l.members().size(); ++i) {
    const NodeId id = l.members()[i];
    const auto& raft = std::get<RaftNode>(world.nodes()[id].process);
    if (raft.term() != l.term()) return false;
    if (id != leader && l.match_index(i) != l.log().last_index()) return false;
  }
  return l.commit_index() == l.log().last_index();
}

std::uint64_t elections(const World& world) {
  std::uint64_t n = 0;
  for (const Node& node : world.nodes()) n += std::get<RaftNode>(node.process).elections_started();
  return n;
}

// Steps until the leader's heartbeat timer fires and it broadcasts; true if it did before limit.
bool step_to_heartbeat(World& world, NodeId leader, SimTimeUs limit_us, TraceLog& log) {
  for (;;) {
    log.clear();
    if (!world.step_until(limit_us, &log)) return false;
    if (find_leader(world) != leader) return false;
    for (const TraceRecord& r : log)
      if (r.kind == TraceKind::timer && r.node == leader && r.a == RaftNode::kHeartbeatTimer) {
        for (const TraceRecord& s : log)
          if (s.kind == TraceKind::send && s.node == leader) return true;
      }
  }
}

}  // namespace

const std::vector<Fig16Line>& fig16_lines() {
  static const std::vector<Fig16Line> lines = {
      {150 * kUsPerMs, 150 * kUsPerMs}, {150 * kUsPerMs, 151 * kUsPerMs}, {150 * kUsPerMs, 155 * kUsPerMs},
      {150 * kUsPerMs, 175 * kUsPerMs}, {150 * kUsPerMs, 200 * kUsPerMs}, {150 * kUsPerMs, 300 * kUsPerMs},
      {12 * kUsPerMs, 24 * kUsPerMs},   {25 * kUsPerMs, 50 * kUsPerMs},   {50 * kUsPerMs, 100 * kUsPerMs},
      {100 * kUsPerMs, 200 * kUsPerMs}, {150 * kUsPerMs, 300 * kUsPerMs},
  };
  return lines;
}

Fig16Trial run_fig16_trial(const Fig16Setup& setup, const Fig16Line& line, std::uint64_t trial, TraceLog* after_crash) {
  Hasher seed_hash(setup.seed);
  seed_hash.u64(static_cast<std::uint64_t>(line.timeout_min_us)).u64(static_cast<std::uint64_t>(line.timeout_max_us)).u64(trial);
  const std::uint64_t seed = seed_hash.value();
  Rng rng(seed ^ 0xF16F16F16ull);

  WorldConfig config;
  config.seed = seed;
  config.network.latency = setup.latency;
  config.raft.election_timeout_min_us = line.timeout_min_us;
  config.raft.election_timeout_max_us = line.timeout_max_us;
  config.raft.heartbeat_us = std::max<SimTimeUs>(line.timeout_min_us / 2, 1);  // §9.3
  config.raft.disk_write_us = setup.disk_write_us;
  for (std::uint32_t i = 0; i < setup.servers; ++i) config.nodes.push_back({server_name(i), NodeRole::raft, 0, 0});
  World world(config);
  Fig16Trial result;

  // 1. Warm up: a leader (s1 is told to time out first), a few entries everywhere, settled.
  world.run_until(0);
  world.apply(ClientOp{server_name(0), "timeout_now", 0});
  NodeId leader = kNoNode;
  bool warmed = false;
  SimTimeUs t = 0;
  const SimTimeUs slice_us = std::max<SimTimeUs>(line.timeout_min_us / 4, kUsPerMs);
  for (int puts = 0; t < 60 * kUsPerS; t += slice_us) {
    world.run_until(t);
    leader = find_leader(world);
    if (leader == kNoNode) continue;
    if (puts < 3) {
      world.apply(ClientOp{world.nodes()[leader].name, "put", ++puts});
      continue;
    }
    if (settled(world, leader)) {
      warmed = true;
      break;
    }
  }
  TraceLog log;
  // 2. Measure the broadcast time on one new entry: until the leader has every follower's reply.
  if (warmed) {
    world.apply(ClientOp{world.nodes()[leader].name, "put", 4});
    const SimTimeUs sent_us = world.now_us();
    const auto target = static_cast<std::int64_t>(std::get<RaftNode>(world.nodes()[leader].process).log().last_index());
    std::vector<NodeId> replied;
    while (replied.size() + 1 < setup.servers && world.step_until(sent_us + 10 * kUsPerS, &log)) {
      for (const TraceRecord& r : log)
        if (r.kind == TraceKind::deliver && r.node == leader && std::string(r.label) == "AppendReply" && r.b >= target &&
            std::find(replied.begin(), replied.end(), r.peer) == replied.end())
          replied.push_back(r.peer);
      log.clear();
    }
    result.broadcast_time_us = world.now_us() - sent_us;
  }
  // 3. The next heartbeat is the synchronized broadcast; with it go one to four new entries.
  if (!warmed || !step_to_heartbeat(world, leader, world.now_us() + 10 * kUsPerS, log)) {
    result.capped = true;  // never settled: count as the worst case (does not happen in practice)
    result.downtime_us = setup.cap_us;
    return result;
  }
  const std::string leader_name = world.nodes()[leader].name;
  std::vector<std::string> followers;
  for (const Node& node : world.nodes())
    if (node.name != leader_name) followers.push_back(node.name);
  for (std::size_t i = followers.size(); i > 1; --i)  // a random order: who ends up longest
    std::swap(followers[i - 1], followers[static_cast<std::size_t>(rng.below(i))]);
  for (const auto& f : followers) world.apply(CutLink{f, leader_name, false});  // no reply reaches it
  world.apply(ClientOp{leader_name, "put", 100});
  // The k-th follower of the order misses the puts after the k-th: each such message is sent
  // while its link is cut, so it is lost on the way (a message's fate is decided when it is
  // sent); the link is healed at once, so everything sent earlier still arrives.
  for (std::size_t k = followers.size(); k > 1; --k) {
    world.apply(CutLink{leader_name, followers[k - 1], false});
    world.apply(ClientOp{leader_name, "put", 100});
    world.apply(HealLink{leader_name, followers[k - 1], false});
  }
  // 4. The crash: uniformly within the heartbeat interval.
  const SimTimeUs crash_us = world.now_us() + rng.between(0, config.raft.heartbeat_us - 1);
  world.run_until(crash_us, after_crash);
  world.apply(CrashNode{leader_name}, after_crash);
  const std::uint64_t elections_before = elections(world);
  // 5. Downtime: until a new leader is elected.
  const SimTimeUs limit_us = crash_us + setup.cap_us;
  result.capped = true;
  while (world.step_until(limit_us, after_crash)) {
    if (find_leader(world) != kNoNode) {
      result.capped = false;
      break;
    }
  }
  result.downtime_us = result.capped ? setup.cap_us : world.now_us() - crash_us;
  result.elections = elections(world) - elections_before;
  return result;
}

Fig16Result summarize_fig16(const Fig16Line& line, std::vector<Fig16Trial> trials) {
  Fig16Result out;
  out.line = line;
  if (trials.empty()) return out;
  SimTimeUs sum_us = 0, broadcast_us = 0;
  std::uint64_t over_10s = 0, elections = 0;
  for (const Fig16Trial& t : trials) {
    out.downtimes_us.push_back(t.downtime_us);
    sum_us += t.downtime_us;
    broadcast_us += t.broadcast_time_us;
    elections += t.elections;
    out.capped += t.capped ? 1 : 0;
    if (t.downtime_us > 10 * kUsPerS) ++over_10s;
  }
  std::sort(out.downtimes_us.begin(), out.downtimes_us.end());
  const std::size_t n = out.downtimes_us.size();
  out.median_us = n % 2 == 1 ? out.downtimes_us[n / 2] : (out.downtimes_us[n / 2 - 1] + out.downtimes_us[n / 2]) / 2;
  out.mean_us = sum_us / static_cast<SimTimeUs>(n);
  out.max_us = out.downtimes_us.back();
  out.over_10s_fraction = static_cast<double>(over_10s) / static_cast<double>(n);
  out.mean_broadcast_time_us = broadcast_us / static_cast<SimTimeUs>(n);
  out.mean_elections = static_cast<double>(elections) / static_cast<double>(n);
  return out;
}

Fig16Result run_fig16_line(const Fig16Setup& setup, const Fig16Line& line, std::uint32_t trials) {
  std::vector<Fig16Trial> results;
  results.reserve(trials);
  for (std::uint32_t i = 0; i < trials; ++i) results.push_back(run_fig16_trial(setup, line, i));
  return summarize_fig16(line, std::move(results));
}

}  // namespace dsplay
