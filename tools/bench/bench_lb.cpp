// Benchmarks of the load-balancing simulation (core/balance/lb_sim.hpp), stepped standalone: the
// same code the World runs for balancing scenarios. Budget from the product issue:
// BM_BalancerSim >= 2 M simulated requests per second through a 20-server power-of-two-choices
// setup. items_per_second counts completed requests (each is three events: arrival at the
// balancer, arrival at the server, completion), so it is requests through the whole path.
#include <benchmark/benchmark.h>

#include <string>

#include "core/balance/lb_sim.hpp"
#include "core/scenario.hpp"
#include "core/world.hpp"

namespace {

using namespace dsplay;
using namespace dsplay::balance;

LoadBalancerSim make_bench_sim(LbAlgo algo, int servers) {
  LbConfig c;
  c.balancer.algo = algo;
  c.balancer.table_size = 65537;
  c.server_defaults = LbServerParams{4, 1000, 64, 1};
  c.workload.service.kind = LbServiceKind::exponential;
  c.workload.service.mean_us = 10 * kUsPerMs;
  // 75% utilisation: servers x capacity 4 x 100 req/s each.
  c.workload.rate_milli = static_cast<std::uint64_t>(servers) * 400 * 750;
  c.workload.keys = 1000;
  c.workload.zipf_milli = 1000;
  LoadBalancerSim sim(c, 1);
  for (int s = 0; s < servers; ++s) sim.add_server("server-" + std::to_string(s), static_cast<std::uint32_t>(s), 0);
  for (int k = 0; k < 4; ++k) sim.add_client("client-" + std::to_string(k), static_cast<std::uint32_t>(100 + k), 0);
  sim.run_until(2 * kUsPerS);  // warm up: queues and in-flight counts at their steady state
  return sim;
}

void run_sim(benchmark::State& state, LbAlgo algo) {
  LoadBalancerSim sim = make_bench_sim(algo, static_cast<int>(state.range(0)));
  const std::uint64_t completed_before = sim.totals().completed;
  for (auto _ : state) sim.step();
  state.SetItemsProcessed(static_cast<std::int64_t>(sim.totals().completed - completed_before));
  state.counters["sim_s"] = static_cast<double>(sim.now_us()) / 1e6;
  state.counters["p99_ms"] = static_cast<double>(sim.latency().value_at_quantile(0.99)) / 1e3;
}

void BM_BalancerSim(benchmark::State& state) { run_sim(state, LbAlgo::power_of_two_choices); }
BENCHMARK(BM_BalancerSim)->Arg(20);

void BM_BalancerSimRoundRobin(benchmark::State& state) { run_sim(state, LbAlgo::round_robin); }
BENCHMARK(BM_BalancerSimRoundRobin)->Arg(20);

void BM_BalancerSimLeastConnections(benchmark::State& state) { run_sim(state, LbAlgo::least_connections); }
BENCHMARK(BM_BalancerSimLeastConnections)->Arg(20);

void BM_BalancerSimMaglev(benchmark::State& state) { run_sim(state, LbAlgo::maglev); }
BENCHMARK(BM_BalancerSimMaglev)->Arg(20);

void BM_BalancerSimBounded(benchmark::State& state) { run_sim(state, LbAlgo::bounded_load); }
BENCHMARK(BM_BalancerSimBounded)->Arg(20);

// The same setup inside a World (what the apps and `dsplay run` step): each sim event is a world
// event with two trace records per request folded into the trace hash (no TraceLog kept).
void BM_BalancerSimInWorld(benchmark::State& state) {
  Scenario scenario;
  scenario.name = "bench";
  for (int k = 0; k < 4; ++k) scenario.config.nodes.push_back({"client-" + std::to_string(k), NodeRole::lb_client, 0, 0});
  scenario.config.nodes.push_back({"lb", NodeRole::balancer, 0, 0});
  const auto servers = static_cast<int>(state.range(0));
  for (int s = 0; s < servers; ++s) scenario.config.nodes.push_back({"server-" + std::to_string(s), NodeRole::lb_server, 0, 0});
  LbConfig& c = scenario.config.balancing;
  c.balancer.algo = LbAlgo::power_of_two_choices;
  c.server_defaults = LbServerParams{4, 1000, 64, 1};
  c.workload.service.mean_us = 10 * kUsPerMs;
  c.workload.rate_milli = static_cast<std::uint64_t>(servers) * 400 * 750;
  c.workload.zipf_milli = 1000;
  World world = make_world(scenario);
  world.run_until(2 * kUsPerS);
  const std::uint64_t completed_before = world.lb()->totals().completed;
  for (auto _ : state) world.step();
  state.SetItemsProcessed(static_cast<std::int64_t>(world.lb()->totals().completed - completed_before));
}
BENCHMARK(BM_BalancerSimInWorld)->Arg(20);

}  // namespace
