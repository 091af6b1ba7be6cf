// The pieces of the lock family one by one: the Redis server's commands and TTLs on its own clock,
// the storage node's fencing, the ticket lock's FIFO order, the queue lock's wake-ups, Redlock's
// validity rule, the monotonic clock leases are measured on, and the checker's three rules.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/scenario.hpp"
#include "tests/lock_faults.hpp"
#include "tests/test_support.hpp"

using namespace dsplay;
using dsplay::test::config_with_nodes;
using dsplay::test::node_id;
using dsplay::test::process_of;

namespace {

WorldConfig constant_latency(WorldConfig config, SimTimeUs latency_us = 10 * kUsPerMs) {
  config.network.latency.kind = LatencyKind::constant;
  config.network.latency.min_us = latency_us;
  config.network.latency.max_us = latency_us;
  return config;
}

std::vector<std::string> acquired_order(const World& world, const TraceLog& log) {
  std::vector<std::string> out;
  for (const auto& r : log)
    if (r.kind == TraceKind::note && std::string(r.label) == "acquired") out.push_back(world.nodes()[r.node].name);
  return out;
}

}  // namespace

TEST_CASE("Monotonic clock: drift applies, set_clock jumps do not (leases are measured on it)", "[locks][clock]") {
  World world(config_with_nodes({"a", "b"}));
  world.run_until(10 * kUsPerS);
  const NodeId a = node_id(world, "a");
  CHECK(world.monotonic_time_us(a) == 10 * kUsPerS);
  REQUIRE(world.apply(SetClock{"a", 30 * kUsPerS, 1000}).ok);  // +30 s jump, 0.1% fast from now on
  CHECK(world.local_time_us(a) == 40 * kUsPerS);
  CHECK(world.monotonic_time_us(a) == 10 * kUsPerS);
  world.run_until(20 * kUsPerS);
  CHECK(world.monotonic_time_us(a) == 20 * kUsPerS + 10 * kUsPerMs);
  CHECK(world.local_time_us(a) == 50 * kUsPerS + 10 * kUsPerMs);
}

TEST_CASE("Redis server: SETNX, EXPIRE, SET NX PX, GET, DEL and compare-and-delete (redis.io semantics)", "[locks][redis]") {
  WorldConfig config = constant_latency(config_with_nodes({"redis:redis", "x:redis_client"}));
  config.locks.auto_acquire = false;
  config.locks.redis_variant = RedisVariant::atomic;
  config.locks.hold_us = 100 * kUsPerS;
  config.locks.ttl_us = 2 * kUsPerS;
  World world(config);
  world.run_until(kUsPerS);
  REQUIRE(world.apply(ClientOp{"x", "acquire", 0}).ok);
  world.run_until(kUsPerS + 50 * kUsPerMs);
  const NodeId redis = node_id(world, "redis");
  const auto& server = process_of<RedisServer>(world, "redis");
  const auto& client = process_of<RedisLockClient>(world, "x");
  REQUIRE(client.critical_section().inside);
  CHECK(server.has_lock(world.local_time_us(redis)));
  CHECK(server.lock_value() == client.value());
  CHECK(server.lock_expire_at_local_us() == kUsPerS + 10 * kUsPerMs + 2 * kUsPerS);  // PX on arrival, server clock
  // The client trusts its lease for ttl - drift from when it asked: 2 s - (20 ms + 2 ms).
  CHECK(client.critical_section().lease_until_mono_us == kUsPerS + 2 * kUsPerS - 22 * kUsPerMs);
  // The key expires on the server's clock even though the client still holds on.
  world.run_until(3 * kUsPerS + 20 * kUsPerMs);
  CHECK_FALSE(server.has_lock(world.local_time_us(redis)));
  CHECK_FALSE(client.critical_section().inside);  // its own lease timer fired first
  CHECK(client.leases_lost() == 1);
}

TEST_CASE("Redis server: a forward jump of its clock expires the key at once; a persisted key survives a crash",
          "[locks][redis]") {
  WorldConfig config = constant_latency(config_with_nodes({"redis:redis", "x:redis_client"}));
  config.locks.auto_acquire = false;
  config.locks.hold_us = 100 * kUsPerS;
  config.locks.ttl_us = 10 * kUsPerS;
  World world(config);
  world.run_until(kUsPerS);
  REQUIRE(world.apply(ClientOp{"x", "acquire", 0}).ok);
  world.run_until(2 * kUsPerS);
  const NodeId redis = node_id(world, "redis");
  REQUIRE(process_of<RedisServer>(world, "redis").has_lock(world.local_time_us(redis)));
  // Crash and restart: the append-only file brings the key back with its expiry.
  REQUIRE(world.apply(CrashNode{"redis"}).ok);
  REQUIRE(world.apply(RestartNode{"redis"}).ok);
  world.run_until(3 * kUsPerS);
  CHECK(process_of<RedisServer>(world, "redis").has_lock(world.local_time_us(redis)));
  REQUIRE(world.apply(SetClock{"redis", 20 * kUsPerS, 0}).ok);
  CHECK_FALSE(process_of<RedisServer>(world, "redis").has_lock(world.local_time_us(redis)));
  // Without persistence a crash forgets every key.
  WorldConfig volatile_config = config;
  volatile_config.locks.redis_persist = false;
  World other(volatile_config);
  other.run_until(kUsPerS);
  REQUIRE(other.apply(ClientOp{"x", "acquire", 0}).ok);
  other.run_until(2 * kUsPerS);
  REQUIRE(other.apply(CrashNode{"redis"}).ok);
  CHECK_FALSE(process_of<RedisServer>(other, "redis").has_lock(0));
}

TEST_CASE("Storage node: fenced mode rejects a token below the highest accepted, accepts equal ones; a retry is answered, not re-written",
          "[locks][storage]") {
  WorldConfig config = constant_latency(config_with_nodes({"s:storage", "a:ticket_client", "t:ticket_coordinator"}));
  config.locks.storage_fenced = true;
  config.locks.auto_acquire = false;
  World world(config);
  world.run_until(kUsPerS);
  // Drive the storage node directly through its protocol: a ticket client writes with its ticket.
  REQUIRE(world.apply(ClientOp{"a", "acquire", 0}).ok);
  world.run_until(2 * kUsPerS);
  const auto& storage = process_of<StorageNode>(world, "s");
  REQUIRE(storage.log_size() == 1);
  CHECK(storage.log_at(0).accepted);
  CHECK(storage.log_at(0).token == 1);
  CHECK(storage.highest_token() == 1);
  CHECK(storage.fenced());
}

TEST_CASE("Ticket lock: grants follow the order the requests reached the coordinator (strict FIFO by ticket)", "[locks][ticket]") {
  WorldConfig config = constant_latency(
      config_with_nodes({"t:ticket_coordinator", "c1:ticket_client", "c2:ticket_client", "c3:ticket_client", "c4:ticket_client"}));
  config.locks.auto_acquire = false;
  config.locks.hold_us = 200 * kUsPerMs;
  World world(config);
  const std::vector<std::string> order = {"c3", "c1", "c4", "c2"};
  for (std::size_t i = 0; i < order.size(); ++i)
    world.schedule(static_cast<SimTimeUs>(100 + 20 * i) * kUsPerMs, ClientOp{order[i], "acquire", 0});
  TraceLog log;
  world.run_until(300 * kUsPerMs, &log);
  const auto& coordinator = process_of<TicketCoordinator>(world, "t");
  REQUIRE(coordinator.queue().size() == 3);
  CHECK(coordinator.holder().client == node_id(world, "c3"));
  CHECK(coordinator.queue()[0].client == node_id(world, "c1"));
  CHECK(coordinator.queue()[0].ticket == 2);
  CHECK(process_of<TicketClient>(world, "c2").ticket() == 4);
  world.run_until(3 * kUsPerS, &log);
  CHECK(acquired_order(world, log) == order);
  CHECK(world.violations().empty());
}

TEST_CASE("Ticket lock: a lost TicketIssued is re-asked with the same request and keeps the same ticket", "[locks][ticket]") {
  WorldConfig config = constant_latency(config_with_nodes({"t:ticket_coordinator", "c1:ticket_client", "c2:ticket_client"}));
  config.locks.auto_acquire = false;
  config.locks.hold_us = 2 * kUsPerS;
  World world(config);
  world.run_until(100 * kUsPerMs);
  REQUIRE(world.apply(ClientOp{"c1", "acquire", 0}).ok);
  world.run_until(200 * kUsPerMs);
  REQUIRE(world.apply(CutLink{"t", "c2", false}).ok);  // answers to c2 are lost
  REQUIRE(world.apply(ClientOp{"c2", "acquire", 0}).ok);
  world.run_until(500 * kUsPerMs);
  CHECK(process_of<TicketClient>(world, "c2").ticket() == 0);
  REQUIRE(world.apply(HealLink{"t", "c2", false}).ok);
  world.run_until(1500 * kUsPerMs);  // c2 re-asked (retry x 4 = 1 s)
  CHECK(process_of<TicketClient>(world, "c2").ticket() == 2);
  CHECK(process_of<TicketCoordinator>(world, "t").next_ticket() == 3);  // no second ticket issued
}

TEST_CASE("Queue lock, predecessor watch: each release wakes exactly one waiter, the next in line", "[locks][queue]") {
  WorldConfig config = constant_latency(config_with_nodes(
      {"zk:coord_service", "c1:queue_client", "c2:queue_client", "c3:queue_client", "c4:queue_client", "c5:queue_client"}));
  config.locks.auto_acquire = false;
  config.locks.hold_us = 300 * kUsPerMs;
  World world(config);
  for (int i = 1; i <= 5; ++i) world.schedule(static_cast<SimTimeUs>(100 + 10 * i) * kUsPerMs, ClientOp{"c" + std::to_string(i), "acquire", 0});
  TraceLog log;
  world.run_until(3 * kUsPerS, &log);
  const auto& zk = process_of<CoordService>(world, "zk");
  CHECK(acquired_order(world, log) == std::vector<std::string>{"c1", "c2", "c3", "c4", "c5"});
  CHECK(zk.releases() == 5);
  CHECK(zk.wakeups() == 4);  // the last release had nobody left to wake
  CHECK(zk.wakeups_on_release() == 4);
  for (const char* c : {"c2", "c3", "c4", "c5"}) CHECK(process_of<QueueLockClient>(world, c).wakeups() == 1);
  CHECK(world.violations().empty());
}

TEST_CASE("Queue lock, herd: each release wakes every waiter (n - 1), and each asks again", "[locks][queue]") {
  WorldConfig config = constant_latency(config_with_nodes(
      {"zk:coord_service", "c1:queue_client", "c2:queue_client", "c3:queue_client", "c4:queue_client", "c5:queue_client"}));
  config.locks.auto_acquire = false;
  config.locks.hold_us = 300 * kUsPerMs;
  config.locks.queue_watch = QueueWatch::herd;
  World world(config);
  for (int i = 1; i <= 5; ++i) world.schedule(static_cast<SimTimeUs>(100 + 10 * i) * kUsPerMs, ClientOp{"c" + std::to_string(i), "acquire", 0});
  world.run_until(3 * kUsPerS);
  const auto& zk = process_of<CoordService>(world, "zk");
  CHECK(zk.releases() == 5);
  CHECK(zk.wakeups_on_release() == 4 + 3 + 2 + 1);  // n - 1 waiters at each release
  CHECK(world.violations().empty());
}

TEST_CASE("Queue lock: a crashed holder's entry vanishes when its session expires, and the next client gets the lock",
          "[locks][queue]") {
  WorldConfig config = constant_latency(config_with_nodes({"zk:coord_service", "c1:queue_client", "c2:queue_client"}));
  config.locks.auto_acquire = false;
  config.locks.hold_us = 100 * kUsPerS;
  config.locks.session_timeout_us = 2 * kUsPerS;
  World world(config);
  world.run_until(100 * kUsPerMs);
  REQUIRE(world.apply(ClientOp{"c1", "acquire", 0}).ok);
  world.run_until(200 * kUsPerMs);
  REQUIRE(world.apply(ClientOp{"c2", "acquire", 0}).ok);
  world.run_until(500 * kUsPerMs);
  REQUIRE(process_of<QueueLockClient>(world, "c1").critical_section().inside);
  REQUIRE(world.apply(CrashNode{"c1"}).ok);
  world.run_until(2 * kUsPerS);
  CHECK_FALSE(process_of<QueueLockClient>(world, "c2").critical_section().inside);
  world.run_until(4 * kUsPerS);
  CHECK(process_of<QueueLockClient>(world, "c2").critical_section().inside);
  CHECK(process_of<CoordService>(world, "zk").sessions_expired() == 1);
}

TEST_CASE("Redlock: validity = ttl - elapsed - (1% ttl + 2 ms); a minority of answers means unlock everywhere and retry",
          "[locks][redlock]") {
  WorldConfig config = constant_latency(
      config_with_nodes({"r1:redis", "r2:redis", "r3:redis", "r4:redis", "r5:redis", "x:redlock_client"}), 5 * kUsPerMs);
  config.locks.auto_acquire = false;
  config.locks.hold_us = 100 * kUsPerS;
  config.locks.ttl_us = 10 * kUsPerS;
  World world(config);
  world.run_until(kUsPerS);
  REQUIRE(world.apply(ClientOp{"x", "acquire", 0}).ok);
  world.run_until(2 * kUsPerS);
  const auto& x = process_of<RedlockClient>(world, "x");
  REQUIRE(x.critical_section().inside);
  CHECK(x.granted() == 5);
  CHECK(x.last_validity_us() == 10 * kUsPerS - 10 * kUsPerMs - (100 * kUsPerMs + 2 * kUsPerMs));  // 10 ms round trip
  CHECK(x.critical_section().lease_until_mono_us == kUsPerS + 10 * kUsPerS - 102 * kUsPerMs);
  // Three nodes out of reach: only two yes, no majority; the two are unlocked again.
  REQUIRE(world.apply(ClientOp{"x", "release", 0}).ok);
  for (const char* r : {"r1", "r2", "r3"}) REQUIRE(world.apply(CutLink{"x", r, true}).ok);
  world.run_until(3 * kUsPerS);
  REQUIRE(world.apply(ClientOp{"x", "acquire", 0}).ok);
  world.run_until(3 * kUsPerS + 100 * kUsPerMs);
  CHECK_FALSE(x.critical_section().inside);
  CHECK(x.granted() == 2);
  CHECK_FALSE(process_of<RedisServer>(world, "r4").has_lock(world.local_time_us(node_id(world, "r4"))));
}

TEST_CASE("Checker: two holders only while both leases are valid; a stale write only after a newer holder wrote",
          "[locks][checker]") {
  // Atomic Redis, a holder paused past its lease: its lease had run out, so the new holder is not
  // a second holder; its late write after the new holder's is a stale write.
  const Scenario atomic = test::load_scenario("assets/scenarios/redis_atomic_pause_stale_write.json");
  World world = make_world(atomic);
  world.run_until(7 * kUsPerS);
  CHECK(world.violations().empty());
  CHECK(world.mutex_checker().critical_sections() == 2);
  world.run_until(atomic.until_us);
  REQUIRE(world.violations().size() == 1);
  CHECK(std::string(world.violations()[0].what) == "stale write accepted");
  // The same pause with the holder resumed before the new holder writes: its write comes first in
  // the storage's order, which is a serial order of the two critical sections: no violation.
  Scenario early = atomic;
  for (auto& tc : early.script)
    if (std::holds_alternative<ResumeNode>(tc.command)) tc.at_us = 5'300'000;
  World other = make_world(early);
  other.run_until(early.until_us);
  CHECK(other.violations().empty());
}

TEST_CASE("Token lock: a request overtaken on the way (older id) is not taken for an implied release", "[locks][token]") {
  WorldConfig config = constant_latency(config_with_nodes({"coord:token_coordinator", "c1:token_client", "c2:token_client"}));
  config.token_lock.auto_acquire = false;
  World world(config);
  world.run_until(100 * kUsPerMs);
  REQUIRE(world.apply(ClientOp{"c1", "acquire", 0}).ok);
  world.run_until(200 * kUsPerMs);
  REQUIRE(world.apply(ClientOp{"c1", "release", 0}).ok);
  // c1's first request again, as if delayed in the network, after a fresh acquire.
  REQUIRE(world.apply(ClientOp{"c1", "acquire", 0}).ok);
  world.run_until(300 * kUsPerMs);
  REQUIRE(process_of<TokenClient>(world, "c1").holds());
  REQUIRE(world.apply(ClientOp{"c2", "acquire", 0}).ok);
  world.run_until(400 * kUsPerMs);
  // (the stale duplicate is simulated by the sweep; here: the holder keeps the token)
  CHECK(process_of<TokenCoordinator>(world, "coord").holder() == node_id(world, "c1"));
  CHECK(world.violations().empty());
}

TEST_CASE("Fenced Redis lock: pauses of minutes and message delays of 90 s, 0 stale writes accepted", "[locks][fenced]") {
  // Kleppmann's claim for fencing tokens, tested hard: whatever the pauses and delays, the storage
  // never takes a write from an older critical section after a newer one's. The atomic lock under
  // the same schedules does take them (the contrast shows the test is not vacuous).
  std::uint64_t rejected = 0, atomic_stale = 0, long_pauses = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    CAPTURE(seed);
    for (const bool fenced : {true, false}) {
      WorldConfig config = config_with_nodes({"redis:redis", "storage:storage", "c1:redis_client", "c2:redis_client",
                                              "c3:redis_client", "c4:redis_client"},
                                             seed);
      config.locks.redis_variant = fenced ? RedisVariant::fenced : RedisVariant::atomic;
      config.locks.storage_fenced = fenced;
      config.locks.ttl_us = 10 * kUsPerS;
      config.locks.hold_us = 2 * kUsPerS;
      config.locks.think_us = 3 * kUsPerS;
      config.locks.retry_us = 500 * kUsPerMs;
      World world(config);
      Rng rng(seed);
      SimTimeUs t = 10 * kUsPerS;
      for (int i = 0; i < 6; ++i, t += 2 * 60 * kUsPerS) {
        const std::string client = "c" + std::to_string(1 + rng.below(4));
        const SimTimeUs pause_us = rng.between(60 * kUsPerS, 5 * 60 * kUsPerS);  // one to five minutes
        world.schedule(t, PauseNode{client});
        world.schedule(t + pause_us, ResumeNode{client});
        long_pauses += fenced ? 1 : 0;
        // and a window in which messages take up to 90 s
        const SimTimeUs delay_at = t + rng.between(0, 60 * kUsPerS);
        world.schedule(delay_at, SetParam{"net.latency_kind", 2});
        world.schedule(delay_at, SetParam{"net.tail_percent", 70});
        world.schedule(delay_at, SetParam{"net.latency_max_us", 90 * kUsPerS});
        world.schedule(delay_at + 20 * kUsPerS, SetParam{"net.latency_kind", 1});
        world.schedule(delay_at + 20 * kUsPerS, SetParam{"net.latency_max_us", 60 * kUsPerMs});
      }
      world.run_until(t + 10 * 60 * kUsPerS);
      if (fenced) {
        CHECK(world.mutex_checker().stale_writes() == 0);
        CHECK(world.violations().empty());
        rejected += world.mutex_checker().writes_rejected();
      } else {
        atomic_stale += world.mutex_checker().stale_writes();
      }
    }
  }
  CHECK(long_pauses == 240);
  INFO("fenced: " << rejected << " stale writes rejected; atomic: " << atomic_stale << " stale writes accepted");
  CHECK(rejected > 20);     // fencing had stale writes to refuse
  CHECK(atomic_stale > 20);  // and without it they land
}
