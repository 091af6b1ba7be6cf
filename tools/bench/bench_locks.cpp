// BM_LockSim: how fast the simulator runs the locks of core/locks/ (the non-consensus ones), in
// simulated lock operations per second of wall time; target >= 1 M (native). A lock operation is
// one acquire or one release: every critical section a client completes counts 2. The clients
// run the whole critical-section program (acquire, work, write to the storage node with their
// token, release), the mutual-exclusion checker runs after every event, and the world keeps its
// trace hash, exactly as in the app. Arg 0 = lock, arg 1 = 1 with the storage writes, 0 without.
// Counters: events_per_op (what the rate is made of), records_per_event (trace records folded into
// the trace hash per event: see BM_TraceFold), pending_events (queue length at the end).
#include <benchmark/benchmark.h>

#include "core/scenario.hpp"
#include "core/world.hpp"

namespace dsplay {
namespace {

enum BenchLock : int { kToken, kTicket, kQueue, kRedisNaive, kRedisFenced, kRedlock };

Scenario lock_scenario(int lock, bool write) {
  Scenario s;
  s.name = "bench_locks";
  s.config.seed = 5;
  s.config.network.latency.kind = LatencyKind::uniform;
  s.config.network.latency.min_us = 1 * kUsPerMs;
  s.config.network.latency.max_us = 5 * kUsPerMs;
  LocksConfig& l = s.config.locks;
  l.hold_us = 5 * kUsPerMs;
  l.think_us = 40 * kUsPerMs;
  l.retry_us = 20 * kUsPerMs;
  l.ttl_us = 2 * kUsPerS;
  l.write = write;
  l.storage_fenced = true;
  s.config.token_lock.hold_us = 5 * kUsPerMs;
  s.config.token_lock.think_us = 40 * kUsPerMs;
  s.config.token_lock.write = write;
  NodeRole client = NodeRole::token_client;
  switch (lock) {
    case kToken: s.config.nodes.push_back({"coord", NodeRole::token_coordinator, 0, 0}); break;
    case kTicket:
      s.config.nodes.push_back({"tickets", NodeRole::ticket_coordinator, 0, 0});
      client = NodeRole::ticket_client;
      break;
    case kQueue:
      s.config.nodes.push_back({"zk", NodeRole::coord_service, 0, 0});
      client = NodeRole::queue_client;
      break;
    case kRedisNaive:
    case kRedisFenced:
      l.redis_variant = lock == kRedisNaive ? RedisVariant::naive : RedisVariant::fenced;
      s.config.nodes.push_back({"redis", NodeRole::redis, 0, 0});
      client = NodeRole::redis_client;
      break;
    case kRedlock:
      for (int i = 1; i <= 5; ++i) s.config.nodes.push_back({"r" + std::to_string(i), NodeRole::redis, 0, 0});
      client = NodeRole::redlock_client;
      break;
    default: break;
  }
  s.config.nodes.push_back({"storage", NodeRole::storage, 0, 0});
  for (int i = 1; i <= 4; ++i) s.config.nodes.push_back({"c" + std::to_string(i), client, 0, 0});
  return s;
}

const char* lock_label(int lock) {
  static const char* const names[] = {"token", "ticket", "queue", "redis_naive", "redis_fenced", "redlock"};
  return names[lock];
}

void BM_LockSim(benchmark::State& state) {
  const int lock = static_cast<int>(state.range(0));
  const bool write = state.range(1) != 0;
  World world = make_world(lock_scenario(lock, write));
  world.run_until(1 * kUsPerS);  // past the start-up
  const std::uint64_t sections_before = world.mutex_checker().critical_sections();
  const std::uint64_t events_before = world.event_count();
  const std::uint64_t records_before = world.trace_records();
  for (auto _ : state) {
    if (!world.step()) state.SkipWithError("the world ran out of events");
  }
  const std::uint64_t sections = world.mutex_checker().critical_sections() - sections_before;
  state.SetItemsProcessed(static_cast<std::int64_t>(2 * sections));  // acquire + release
  state.counters["events_per_op"] =
      sections ? static_cast<double>(world.event_count() - events_before) / static_cast<double>(2 * sections) : 0.0;
  const std::uint64_t events = world.event_count() - events_before;
  state.counters["records_per_event"] =
      events ? static_cast<double>(world.trace_records() - records_before) / static_cast<double>(events) : 0.0;
  state.counters["violations"] = static_cast<double>(world.violations().size());
  state.counters["pending_events"] = static_cast<double>(world.pending_events());
  state.SetLabel(std::string(lock_label(lock)) + (write ? "+write" : ""));
}
BENCHMARK(BM_LockSim)
    ->ArgsProduct({{kToken, kTicket, kQueue, kRedisNaive, kRedisFenced, kRedlock}, {1, 0}})
    ->Unit(benchmark::kNanosecond);

}  // namespace
}  // namespace dsplay
