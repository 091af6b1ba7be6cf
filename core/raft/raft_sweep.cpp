// Randomized fault runs for Raft and the consensus lock (see raft_sweep.hpp).
#include "core/raft/raft_sweep.hpp"

#include <algorithm>

namespace dsplay {

Scenario raft_sweep_scenario(std::uint64_t seed, const RaftSweepOptions& options) {
  Rng rng(seed ^ 0x5AF7'0000'0000'0001ull);
  Scenario s;
  s.name = "raft-sweep-" + std::to_string(seed);
  s.title = "Raft fault sweep, seed " + std::to_string(seed);
  s.config.seed = seed;
  s.until_us = options.duration_us;

  const auto servers = static_cast<std::uint32_t>(rng.between(options.min_servers, options.max_servers));
  std::vector<std::string> server_names, client_names, all;
  for (std::uint32_t i = 1; i <= servers; ++i) server_names.push_back("s" + std::to_string(i));
  for (std::uint32_t i = 1; i <= options.clients; ++i) client_names.push_back("c" + std::to_string(i));
  for (const auto& n : server_names) s.config.nodes.push_back({n, NodeRole::raft, 0, 0});
  for (const auto& n : client_names) s.config.nodes.push_back({n, NodeRole::raft_client, 0, 0});
  s.config.nodes.push_back({"db", NodeRole::storage, 0, 0});  // what the lock protects
  s.config.locks.storage_fenced = options.fenced_storage;
  all = server_names;
  all.insert(all.end(), client_names.begin(), client_names.end());
  all.push_back("db");

  LinkConfig& net = s.config.network;
  net.latency.kind = LatencyKind::uniform;
  net.latency.min_us = rng.between(1, 10) * kUsPerMs;
  net.latency.max_us = net.latency.min_us + rng.between(0, 30) * kUsPerMs;
  net.loss_ppm = static_cast<std::uint32_t>(rng.between(0, 100'000));
  net.duplicate_ppm = static_cast<std::uint32_t>(rng.between(0, 100'000));
  net.reorder_ppm = static_cast<std::uint32_t>(rng.between(0, 300'000));
  net.reorder_window_us = rng.between(10, 100) * kUsPerMs;

  RaftConfig& raft = s.config.raft;
  raft.election_timeout_min_us = rng.between(100, 300) * kUsPerMs;
  raft.election_timeout_max_us = raft.election_timeout_min_us + rng.between(0, 200) * kUsPerMs;
  raft.heartbeat_us = raft.election_timeout_min_us / 3;
  raft.max_entries_per_message = static_cast<std::uint32_t>(rng.between(1, 64));
  raft.leader_noop = rng.below(4) != 0;
  raft.session_ttl_us = rng.between(1000, 3000) * kUsPerMs;
  raft.keepalive_us = raft.session_ttl_us / 4;
  raft.client_retry_us = rng.between(100, 500) * kUsPerMs;
  raft.hold_us = rng.between(50, 300) * kUsPerMs;
  raft.think_us = rng.between(100, 500) * kUsPerMs;
  raft.bug = options.bug;
  raft.disk_write_us = rng.below(3) == 0 ? rng.between(1, 10) * kUsPerMs : 0;

  // The script: a fault every 0.2-1.5 s, then everything healed and restarted for the last 3 s.
  std::vector<bool> down(all.size(), false), paused(all.size(), false);
  std::vector<std::pair<std::size_t, std::size_t>> cuts;
  const SimTimeUs calm_us = std::max<SimTimeUs>(options.duration_us - 3 * kUsPerS, 0);
  SimTimeUs t = 500 * kUsPerMs;
  for (;;) {
    t += rng.between(200, 1500) * kUsPerMs;
    if (t >= calm_us) break;
    const auto kinds = options.pauses ? 8 : 7;
    switch (rng.below(static_cast<std::uint64_t>(kinds))) {
      case 0: {  // partition into two or three groups
        const auto groups = static_cast<std::size_t>(rng.between(2, 3));
        Partition p;
        p.groups.resize(groups);
        for (const auto& name : all) p.groups[static_cast<std::size_t>(rng.below(groups))].push_back(name);
        s.script.push_back({t, p});
        break;
      }
      case 1:
        s.script.push_back({t, HealNetwork{}});
        cuts.clear();
        break;
      case 2:
      case 3: {  // crash or restart a server
        const auto i = static_cast<std::size_t>(rng.below(servers));
        if (paused[i]) break;
        s.script.push_back({t, down[i] ? Command{RestartNode{all[i]}} : Command{CrashNode{all[i]}}});
        down[i] = !down[i];
        break;
      }
      case 4: {  // cut a link (one way or both)
        const auto a = static_cast<std::size_t>(rng.below(all.size()));
        const auto b = static_cast<std::size_t>(rng.below(servers));
        if (a == b) break;
        const bool both = rng.below(2) == 0;
        s.script.push_back({t, CutLink{all[a], all[b], both}});
        cuts.emplace_back(a, b);
        break;
      }
      case 5: {  // heal a cut link
        if (cuts.empty()) break;
        const auto k = static_cast<std::size_t>(rng.below(cuts.size()));
        s.script.push_back({t, HealLink{all[cuts[k].first], all[cuts[k].second], true}});
        cuts.erase(cuts.begin() + static_cast<std::ptrdiff_t>(k));
        break;
      }
      case 6: {  // crash or restart a client or the storage node
        const auto i = servers + static_cast<std::size_t>(rng.below(client_names.size() + 1));
        if (paused[i]) break;
        s.script.push_back({t, down[i] ? Command{RestartNode{all[i]}} : Command{CrashNode{all[i]}}});
        down[i] = !down[i];
        break;
      }
      case 7: {  // pause or resume any node
        const auto i = static_cast<std::size_t>(rng.below(all.size()));
        if (down[i]) break;
        s.script.push_back({t, paused[i] ? Command{ResumeNode{all[i]}} : Command{PauseNode{all[i]}}});
        paused[i] = !paused[i];
        break;
      }
      default: break;
    }
  }
  s.script.push_back({calm_us, HealNetwork{}});
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (down[i]) s.script.push_back({calm_us, RestartNode{all[i]}});
    if (paused[i]) s.script.push_back({calm_us, ResumeNode{all[i]}});
  }
  return s;
}

RaftSweepRun run_raft_sweep(std::uint64_t seed, const RaftSweepOptions& options) {
  const Scenario scenario = raft_sweep_scenario(seed, options);
  World world = make_world(scenario);
  while (world.violations().empty() && world.step_until(scenario.until_us)) {
  }
  RaftSweepRun run;
  run.seed = seed;
  run.events = world.event_count();
  run.committed = world.raft_checker().committed_length();
  run.leaders = world.raft_checker().leaders().size();
  for (const Node& node : world.nodes()) {
    if (const auto* client = std::get_if<RaftClient>(&node.process)) run.acquisitions += client->acquisitions();
    if (const auto* storage = std::get_if<StorageNode>(&node.process)) {
      run.writes_accepted += storage->accepted();
      run.writes_rejected += storage->rejected();
    }
  }
  run.violations = world.violations();
  return run;
}

}  // namespace dsplay
