// Each built-in lock scenario tells exactly the story its description claims, at its fixed seed,
// every run: the bug scenarios end with the violation they are about (and the right events as
// causes), the fixed ones with none.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/scenario.hpp"
#include "tests/locks_test_support.hpp"
#include "tests/test_support.hpp"

using namespace dsplay;
using namespace dsplay::test;

namespace {

// Notes with this label, as (time, node name, a).
struct NoteSeen {
  SimTimeUs time_us;
  std::string node;
  std::string peer;
  std::int64_t a;
};
std::vector<NoteSeen> notes(const ScenarioRun& run, const char* label) {
  std::vector<NoteSeen> out;
  const auto names = run.world.node_names();
  for (const auto& r : run.log) {
    if (r.kind != TraceKind::note || std::string(r.label) != label) continue;
    out.push_back({r.time_us, r.node < names.size() ? names[r.node] : "", r.peer < names.size() ? names[r.peer] : "", r.a});
  }
  return out;
}

const TraceRecord* first_record_of_event(const ScenarioRun& run, std::uint64_t event, const char* label) {
  for (const auto& r : run.log)
    if (r.event == event && std::string(r.label) == label) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("Lock scenarios: naive Redis, a crash between SETNX and EXPIRE leaves the lock stuck for ever", "[locks][scenario]") {
  const ScenarioRun run = run_scenario("redis_naive_crash_between_setnx_expire");
  const World& w = run.world;
  REQUIRE(w.violations().size() == 1);
  const Violation& v = w.violations().front();
  CHECK(std::string(v.what) == "lock stuck forever");
  CHECK(v.node == node_id(w, "c1"));
  CHECK(v.peer == node_id(w, "redis"));
  CHECK(v.time_us == 1'060'000);  // at the crash
  // Causes: the SETNX that created the key, then the crash.
  CHECK(first_record_of_event(run, v.causes[0], "key set (no TTL)") != nullptr);
  CHECK(first_record_of_event(run, v.causes[1], "crash") != nullptr);
  // Nobody ever gets the lock again; c2 and c3 keep hearing "taken".
  CHECK(notes(run, "acquired").empty());
  CHECK(process_of<RedisServer>(w, "redis").has_lock(w.local_time_us(node_id(w, "redis"))));
  CHECK(process_of<RedisServer>(w, "redis").lock_expire_at_local_us() == RedisServer::kNoExpiry);
  CHECK(notes(run, "TTL set").empty());  // EXPIRE never reached the server
  CHECK(process_of<RedisLockClient>(w, "c2").phase() == LockPhase::acquiring);
}

TEST_CASE("Lock scenarios: naive Redis, a paused client deletes another's lock and two clients hold it", "[locks][scenario]") {
  const ScenarioRun run = run_scenario("redis_naive_pause_deletes_other");
  const World& w = run.world;
  REQUIRE(w.violations().size() == 1);
  const Violation& v = w.violations().front();
  CHECK(std::string(v.what) == "two holders");
  CHECK(v.node == node_id(w, "c2"));  // the one that held it first
  CHECK(v.peer == node_id(w, "c3"));
  // c1's plain DEL removed c2's key, before c3 took the lock.
  const auto deleted = notes(run, "key deleted by another client");
  REQUIRE(deleted.size() == 2);  // c1 deletes c2's key; later c2, done, deletes c3's in turn
  CHECK(deleted[1].peer == "c2");
  CHECK(deleted[0].peer == "c1");
  CHECK(deleted[0].time_us > 6 * kUsPerS);
  CHECK(deleted[0].time_us < v.time_us);
  // The causes are the two grants: c2's, then c3's.
  const auto acquired = notes(run, "acquired");
  REQUIRE(acquired.size() == 3);
  CHECK(acquired[0].node == "c1");
  CHECK(acquired[1].node == "c2");
  CHECK(acquired[2].node == "c3");
  CHECK(first_record_of_event(run, v.causes[0], "acquired")->node == node_id(w, "c2"));
  CHECK(first_record_of_event(run, v.causes[1], "acquired")->node == node_id(w, "c3"));
  // No 'two holders' while c1 was merely paused past its lease: its lease had run out.
  CHECK(acquired[1].time_us > 5 * kUsPerS);
}

TEST_CASE("Lock scenarios: atomic Redis, a holder paused past its lease writes after the new holder (stale write)", "[locks][scenario]") {
  const ScenarioRun run = run_scenario("redis_atomic_pause_stale_write");
  const World& w = run.world;
  REQUIRE(w.violations().size() == 1);
  const Violation& v = w.violations().front();
  CHECK(std::string(v.what) == "stale write accepted");
  CHECK(v.node == node_id(w, "c1"));
  CHECK(v.peer == node_id(w, "c2"));
  CHECK(v.time_us > 8 * kUsPerS);
  // Causes: c1's grant, c2's accepted write, c1's accepted write.
  CHECK(first_record_of_event(run, v.causes[0], "acquired")->node == node_id(w, "c1"));
  const auto* newer = first_record_of_event(run, v.causes[1], "write accepted");
  REQUIRE(newer != nullptr);
  CHECK(newer->peer == node_id(w, "c2"));
  CHECK(notes(run, "key deleted by another client").empty());  // compare-and-delete: the first two bugs are gone
  const auto& storage = process_of<StorageNode>(w, "storage");
  CHECK(storage.accepted() == 2);
  CHECK(storage.rejected() == 0);
}

TEST_CASE("Lock scenarios: fenced Redis, token 34 writes and paused token 33's late write is rejected", "[locks][scenario]") {
  const ScenarioRun run = run_scenario("redis_fenced_rejects_stale");
  const World& w = run.world;
  CHECK(w.violations().empty());
  const auto& storage = process_of<StorageNode>(w, "storage");
  REQUIRE(storage.log_size() == 2);
  CHECK(storage.log_at(0).client == node_id(w, "c2"));
  CHECK(storage.log_at(0).token == 34);
  CHECK(storage.log_at(0).accepted);
  CHECK(storage.log_at(1).client == node_id(w, "c1"));
  CHECK(storage.log_at(1).token == 33);
  CHECK_FALSE(storage.log_at(1).accepted);
  CHECK(storage.log_at(1).time_us > 8 * kUsPerS);
  CHECK(storage.highest_token() == 34);
  CHECK(process_of<RedisLockClient>(w, "c1").writes_rejected() == 1);
  CHECK(w.mutex_checker().writes_rejected() == 1);
}

TEST_CASE("Lock scenarios: Redlock without clock jumps or pauses survives a crashed node and a cut link", "[locks][scenario]") {
  const ScenarioRun run = run_scenario("redlock_happy");
  const World& w = run.world;
  CHECK(w.violations().empty());
  for (const char* c : {"c1", "c2", "c3"}) {
    CAPTURE(c);
    CHECK(process_of<RedlockClient>(w, c).entries() >= 8);
  }
  // Some grants came from a bare majority (r2 down or r4 cut off).
  bool bare_majority = false;
  for (const auto& n : notes(run, "majority")) bare_majority = bare_majority || n.a == 3;
  CHECK(bare_majority);
  CHECK(w.mutex_checker().stale_writes() == 0);
}

TEST_CASE("Lock scenarios: Redlock, a clock jump on one node gives two holders; the fenced storage rejects the late write",
          "[locks][scenario]") {
  const ScenarioRun run = run_scenario("redlock_clock_jump");
  const World& w = run.world;
  REQUIRE(w.violations().size() == 1);
  const Violation& v = w.violations().front();
  CHECK(std::string(v.what) == "two holders");
  CHECK(v.node == node_id(w, "c1"));
  CHECK(v.peer == node_id(w, "c2"));
  CHECK(v.time_us > 2'500'000);
  CHECK(v.time_us < 2'600'000);
  // r3's clock jump expired c1's key there, and c2's majority used it.
  const auto expired = notes(run, "key expired");
  REQUIRE_FALSE(expired.empty());
  CHECK(expired[0].node == "r3");
  const auto& storage = process_of<StorageNode>(w, "storage");
  REQUIRE(storage.log_size() == 2);
  CHECK(storage.log_at(0).client == node_id(w, "c2"));
  CHECK(storage.log_at(0).accepted);
  CHECK(storage.log_at(1).client == node_id(w, "c1"));
  CHECK_FALSE(storage.log_at(1).accepted);
  CHECK(w.mutex_checker().stale_writes() == 0);
}

TEST_CASE("Lock scenarios: ticket lock grants in ticket order, and every client gets its turns", "[locks][scenario]") {
  const ScenarioRun run = run_scenario("ticket_lock_fairness");
  const World& w = run.world;
  CHECK(w.violations().empty());
  const auto acquired = notes(run, "acquired");
  REQUIRE(acquired.size() > 30);
  for (std::size_t i = 1; i < acquired.size(); ++i) CHECK(acquired[i].a > acquired[i - 1].a);  // tickets ascending
  for (const char* c : {"c1", "c2", "c3", "c4", "c5"}) {
    CAPTURE(c);
    const auto& client = process_of<TicketClient>(w, c);
    CHECK(client.entries() >= 6);
    CHECK(client.max_wait_us() < 4 * kUsPerS);  // four ahead of it, plus a lost request's retry
  }
}

TEST_CASE("Lock scenarios: queue lock, one wake-up per release with the predecessor watch, n - 1 with the herd",
          "[locks][scenario]") {
  const ScenarioRun predecessor = run_scenario("queue_lock_predecessor");
  const ScenarioRun herd = run_scenario("queue_lock_herd");
  CHECK(predecessor.world.violations().empty());
  CHECK(herd.world.violations().empty());
  const auto& p = process_of<CoordService>(predecessor.world, "zk");
  const auto& h = process_of<CoordService>(herd.world, "zk");
  REQUIRE(p.releases() > 20);
  REQUIRE(h.releases() > 20);
  CHECK(p.wakeups_on_release() == p.releases());   // exactly one each
  CHECK(h.wakeups_on_release() == 5 * h.releases());  // six clients always queued: five woken each time
  CHECK(h.wakeups() > 5 * p.wakeups());
  CHECK(herd.world.stats().sent > predecessor.world.stats().sent * 3 / 2);
}

TEST_CASE("Lock scenarios: queue lock, a paused holder's session expires and its late write is rejected", "[locks][scenario]") {
  const ScenarioRun run = run_scenario("queue_lock_session_expiry");
  const World& w = run.world;
  CHECK(w.violations().empty());
  const auto expired = notes(run, "session expired");
  REQUIRE(expired.size() == 1);
  CHECK(expired[0].peer == "c1");
  CHECK(expired[0].time_us > 5 * kUsPerS);
  CHECK(expired[0].time_us < 7 * kUsPerS);
  const auto acquired = notes(run, "acquired");
  REQUIRE(acquired.size() == 3);
  CHECK(acquired[1].node == "c2");
  CHECK(acquired[1].time_us >= expired[0].time_us);
  const auto& storage = process_of<StorageNode>(w, "storage");
  REQUIRE(storage.log_size() == 3);
  CHECK(storage.log_at(2).client == node_id(w, "c1"));
  CHECK(storage.log_at(2).token == 1);
  CHECK_FALSE(storage.log_at(2).accepted);
}

TEST_CASE("Lock scenarios: the durable token coordinator survives the crash that breaks the volatile one", "[locks][scenario]") {
  const ScenarioRun crash = run_scenario("token_coordinator_crash");
  REQUIRE_FALSE(crash.world.violations().empty());
  CHECK(std::string(crash.world.violations().front().what) == "two holders");
  const ScenarioRun durable = run_scenario("token_lock_durable");
  CHECK(durable.world.violations().empty());
  CHECK(durable.world.stats().token_grants > 5);
}

TEST_CASE("Lock scenarios: every lock scenario gives the same trace hash twice", "[locks][scenario]") {
  for (const char* name : {"redis_naive_crash_between_setnx_expire", "redis_naive_pause_deletes_other", "redis_atomic_pause_stale_write",
                           "redis_fenced_rejects_stale", "redlock_happy", "redlock_clock_jump", "ticket_lock_fairness",
                           "queue_lock_predecessor", "queue_lock_herd", "queue_lock_session_expiry", "token_lock_durable"}) {
    CAPTURE(name);
    const ScenarioRun a = run_scenario(name);
    const ScenarioRun b = run_scenario(name);
    CHECK(a.world.trace_hash() == b.world.trace_hash());
    CHECK(a.world.state_hash() == b.world.state_hash());
    CHECK(a.world == b.world);
  }
}
