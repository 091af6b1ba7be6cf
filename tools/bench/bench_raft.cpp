// Benchmarks of Raft in the simulator (Google Benchmark), with the invariant checker on, as in
// every run:
//   BM_RaftSim       World::step() on a 5-server cluster under client load (lock clients with
//                    sessions and keep-alives, each critical section writing to a fenced storage
//                    node, judged by the mutual-exclusion checker), events per second;
//                    target >= 1 M simulated events/s.
//   BM_RaftRealtime  how fast simulated time passes for 5 servers, 100 ms heartbeat and 1000
//                    proposals per simulated second (a client sending 10-put batches every 10 ms):
//                    the counter sim_s_per_wall_s is simulated seconds per wall second; target >= 700.
#include <benchmark/benchmark.h>

#include "core/scenario.hpp"
#include "core/world.hpp"

namespace dsplay {
namespace {

WorldConfig raft_bench_config(std::uint32_t lock_clients) {
  WorldConfig config;
  config.seed = 5;
  config.network.latency = LatencyModel{LatencyKind::uniform, 2 * kUsPerMs, 10 * kUsPerMs, 30};
  config.raft = raft_preset(RaftPreset::paper);
  config.raft.session_ttl_us = 2 * kUsPerS;
  config.raft.keepalive_us = 500 * kUsPerMs;
  config.raft.hold_us = 20 * kUsPerMs;
  config.raft.think_us = 30 * kUsPerMs;
  for (int i = 1; i <= 5; ++i) config.nodes.push_back({"s" + std::to_string(i), NodeRole::raft, 0, 0});
  for (std::uint32_t i = 1; i <= lock_clients; ++i) config.nodes.push_back({"lock" + std::to_string(i), NodeRole::raft_client, 0, 0});
  config.nodes.push_back({"db", NodeRole::storage, 0, 0});  // each critical section writes here with its token
  config.locks.storage_fenced = true;
  return config;
}

void BM_RaftSim(benchmark::State& state) {
  // Eight lock clients loop acquire/work/write/release on one lock with keep-alives: client
  // requests, redirects, replication, commits, applies and replies, all through the checker.
  const auto clients = static_cast<std::uint32_t>(state.range(0));
  World world(raft_bench_config(clients));
  world.run_until(2 * kUsPerS);  // a leader, open sessions, steady lock traffic
  const std::uint64_t events_at_start = world.event_count();
  const SimTimeUs time_at_start = world.now_us();
  for (auto _ : state) {
    if (!world.step()) state.SkipWithError("the world ran out of events");
  }
  state.SetItemsProcessed(state.iterations());
  const double sim_s = static_cast<double>(world.now_us() - time_at_start) / 1e6;
  state.counters["events_per_sim_s"] = sim_s > 0 ? static_cast<double>(world.event_count() - events_at_start) / sim_s : 0;
  state.counters["violations"] = static_cast<double>(world.violations().size());
  std::uint64_t acquisitions = 0;
  for (const Node& node : world.nodes())
    if (const auto* c = std::get_if<RaftClient>(&node.process)) acquisitions += c->acquisitions();
  state.counters["acquisitions"] = static_cast<double>(acquisitions);
  state.counters["writes"] = static_cast<double>(world.mutex_checker().writes_accepted() + world.mutex_checker().writes_rejected());
}
BENCHMARK(BM_RaftSim)->Arg(8)->Unit(benchmark::kNanosecond);

void BM_RaftRealtime(benchmark::State& state) {
  WorldConfig config;
  config.seed = 6;
  config.network.latency = LatencyModel{LatencyKind::uniform, 2 * kUsPerMs, 10 * kUsPerMs, 30};
  config.raft = raft_preset(RaftPreset::etcd);  // 100 ms heartbeat
  config.raft.client_mode = RaftClientMode::put;
  config.raft.put_interval_us = 10 * kUsPerMs;  // 100 requests/s x 10 puts = 1000 proposals/s
  config.raft.put_batch = 10;
  for (int i = 1; i <= 5; ++i) config.nodes.push_back({"s" + std::to_string(i), NodeRole::raft, 0, 0});
  config.nodes.push_back({"client", NodeRole::raft_client, 0, 0});
  World world(config);
  world.run_until(5 * kUsPerS);  // the first election (etcd timing: 1-2 s) and steady load
  const std::uint64_t puts_at_start = std::get<RaftClient>(world.nodes().back().process).puts_acked();
  const std::uint64_t events_at_start = world.event_count();
  const SimTimeUs time_at_start = world.now_us();
  for (auto _ : state) world.run_until(world.now_us() + kUsPerS);  // one simulated second
  const double sim_s = static_cast<double>(world.now_us() - time_at_start) / 1e6;
  state.counters["sim_s_per_wall_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["proposals_per_sim_s"] =
      static_cast<double>(std::get<RaftClient>(world.nodes().back().process).puts_acked() - puts_at_start) / sim_s;
  state.counters["events_per_sim_s"] = static_cast<double>(world.event_count() - events_at_start) / sim_s;
  state.counters["violations"] = static_cast<double>(world.violations().size());
}
BENCHMARK(BM_RaftRealtime)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace dsplay
