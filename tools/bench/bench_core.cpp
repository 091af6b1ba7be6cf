// Benchmarks of the simulation core (Google Benchmark):
//   BM_SimHold  the engine's hot path: World::step() with ~10,000 pending events (cache clients
//               keep re-arming timers and the wire stays full), reported as events per second;
//               target >= 5 M events/s.
//   BM_Rewind   scrubbing the timeline: Session::seek_event to a random point of a 100,000-event
//               run (restore the nearest snapshot, replay forward); target <= 50 ms per seek.
//               Arg = snapshot interval in events (the Session default, and 10x that).
// Both use the real World/Session code paths, the same ones the UI drives.
#include <benchmark/benchmark.h>

#include "core/rng.hpp"
#include "core/scenario.hpp"
#include "core/session.hpp"
#include "core/world.hpp"

namespace dsplay {
namespace {

// Cache clients sending a get every ~1 ms each over ~1 s of latency: each client keeps about a
// thousand gets and a thousand replies on the wire, plus its timer. Eight clients (and four
// servers) settle at roughly 10,000 pending events.
Scenario hold_scenario(std::uint32_t clients) {
  Scenario scenario;
  scenario.name = "bench_hold";
  scenario.config.seed = 42;
  scenario.config.network.latency.kind = LatencyKind::uniform;
  scenario.config.network.latency.min_us = 300 * kUsPerMs;
  scenario.config.network.latency.max_us = 500 * kUsPerMs;
  scenario.config.cache.request_interval_us = 1 * kUsPerMs;
  scenario.config.ring.key_count = 1000;
  for (int i = 0; i < 4; ++i) scenario.config.nodes.push_back({"server-" + std::to_string(i), NodeRole::cache, 0, 0});
  for (std::uint32_t i = 0; i < clients; ++i) {
    scenario.config.nodes.push_back({"client-" + std::to_string(i), NodeRole::cache_client, 0, 0});
  }
  return scenario;
}

void BM_SimHold(benchmark::State& state) {
  const auto clients = static_cast<std::uint32_t>(state.range(0));
  World world = make_world(hold_scenario(clients));
  world.run_until(3 * kUsPerS);  // reach the steady state
  const auto pending_at_start = world.pending_events();
  for (auto _ : state) {
    if (!world.step()) state.SkipWithError("the world ran out of events");
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["pending_events"] = static_cast<double>(pending_at_start);
  state.counters["pending_events_end"] = static_cast<double>(world.pending_events());
}
BENCHMARK(BM_SimHold)->Arg(12)->Unit(benchmark::kNanosecond);

// A busy mixed scenario (token lock + cache traffic with faults), the kind a learner scrubs.
Scenario rewind_scenario() {
  Scenario scenario;
  scenario.name = "bench_rewind";
  scenario.config.seed = 7;
  scenario.config.network.latency.min_us = 20 * kUsPerMs;
  scenario.config.network.latency.max_us = 120 * kUsPerMs;
  scenario.config.network.loss_ppm = 10'000;
  scenario.config.network.duplicate_ppm = 10'000;
  scenario.config.network.reorder_ppm = 50'000;
  scenario.config.cache.request_interval_us = 20 * kUsPerMs;
  scenario.config.token_lock.hold_us = 100 * kUsPerMs;
  scenario.config.token_lock.think_us = 200 * kUsPerMs;
  scenario.config.nodes.push_back({"coord", NodeRole::token_coordinator, 0, 0});
  for (int i = 0; i < 4; ++i) scenario.config.nodes.push_back({"t" + std::to_string(i), NodeRole::token_client, 0, 0});
  for (int i = 0; i < 4; ++i) scenario.config.nodes.push_back({"s" + std::to_string(i), NodeRole::cache, 0, 0});
  for (int i = 0; i < 4; ++i) scenario.config.nodes.push_back({"r" + std::to_string(i), NodeRole::cache_client, 0, 0});
  scenario.script.push_back({20 * kUsPerS, CrashNode{"s1"}});
  scenario.script.push_back({40 * kUsPerS, RestartNode{"s1"}});
  scenario.script.push_back({60 * kUsPerS, Partition{{{"coord", "t0", "t1"}, {"t2", "t3"}}}});
  scenario.script.push_back({80 * kUsPerS, HealNetwork{}});
  scenario.until_us = 1000 * kUsPerS;
  return scenario;
}

void BM_Rewind(benchmark::State& state) {
  constexpr std::uint64_t kEvents = 100'000;
  const auto snapshot_every = static_cast<std::uint64_t>(state.range(0));
  Session session(rewind_scenario(), snapshot_every);
  while (session.known_events() < kEvents) {
    if (!session.step_event()) {
      state.SkipWithError("the scenario ran out of events before 100,000");
      return;
    }
  }
  Rng rng(2024);
  for (auto _ : state) {
    const std::uint64_t target = rng.below(kEvents + 1);
    session.seek_event(target);
    benchmark::DoNotOptimize(session.world().trace_hash());
  }
  state.counters["sim_time_s"] = static_cast<double>(session.known_time_us()) / 1e6;
  state.counters["snapshot_every"] = static_cast<double>(snapshot_every);
}
BENCHMARK(BM_Rewind)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace dsplay

namespace dsplay {
namespace {
// BM_TraceFold: the trace hash's cost per record. Each record's fold depends on the one before (the
// hash is a chain), so this is the latency of one fold: a floor under the time per event of every
// simulation, times the records per event (BM_LockSim's records_per_event).
void BM_TraceFold(benchmark::State& state) {
  TraceRecord record{1, 1000, TraceKind::deliver, 3, 4, 17, "RedisReply", 1, 34};
  const std::uint64_t label_hash = trace_label_hash(record.label);
  std::uint64_t hash = 0;
  for (auto _ : state) {
    hash = fold_trace_hash(hash, record, label_hash);
    ++record.event;
    record.time_us += 7;
  }
  benchmark::DoNotOptimize(hash);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TraceFold)->Unit(benchmark::kNanosecond);
}  // namespace
}  // namespace dsplay
