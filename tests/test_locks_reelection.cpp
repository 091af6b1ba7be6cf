// The token lock with coordinator re-election (token_lock.reelection, docs/LOCKS.md): the named
// scenarios tell their story at their seeds (a standby takes over and the lock goes on; the naive
// take-over during a coordinator pause gives two tokens, which the checker catches; the fenced one
// does not), tokens of a newer term are larger, and the scenario keys parse strictly.
#include <catch2/catch.hpp>
#include <string>

#include "core/scenario.hpp"
#include "tests/locks_test_support.hpp"
#include "tests/test_support.hpp"

using namespace dsplay;
using namespace dsplay::test;

namespace {

// Critical sections entered at or after t, with the token each was granted.
struct Entry {
  SimTimeUs time_us;
  std::int64_t token;
};
std::vector<Entry> entries_after(const ScenarioRun& run, SimTimeUs t_us) {
  std::vector<Entry> out;
  for (const TraceRecord& r : run.log)
    if (r.kind == TraceKind::note && std::string(r.label) == "acquired" && r.time_us >= t_us) out.push_back({r.time_us, r.a});
  return out;
}

}  // namespace

TEST_CASE("Token re-election: when the coordinator crashes a standby is elected and the lock continues with newer tokens",
          "[locks][reelection]") {
  const ScenarioRun run = run_scenario("token_reelection");
  CAPTURE(run.seed);
  const auto& coord2 = process_of<TokenCoordinator>(run.world, "coord2");
  const auto& coord3 = process_of<TokenCoordinator>(run.world, "coord3");
  CHECK(coord2.coordinating());   // bully: the highest live id won
  CHECK(coord2.elections_won() == 1);
  CHECK(coord2.term() == 1);
  CHECK_FALSE(coord3.coordinating());  // restarted at 8 s, it follows coord2
  CHECK(coord3.leader() == node_id(run.world, "coord2"));
  // The lock went on after the crash at 4 s, every token from term 1 (larger than any of term 0).
  const auto after = entries_after(run, 4 * kUsPerS + 1);
  CHECK(after.size() >= 8);
  for (const Entry& e : after) {
    CAPTURE(e.time_us, e.token);
    CHECK(token_epoch_term(static_cast<std::uint64_t>(e.token)) == 1);
  }
  // Not before one lease (1 s) after the election: the old holder's lease had run out by then.
  REQUIRE_FALSE(after.empty());
  CHECK(after.front().time_us > 5 * kUsPerS);
  CHECK(run.world.violations().empty());
}

TEST_CASE("Token re-election, naive: a paused coordinator and its successor both hand out the token: the checker reports two holders",
          "[locks][reelection]") {
  const ScenarioRun run = run_scenario("token_reelection_split_brain");
  CAPTURE(run.seed);
  CHECK(process_of<TokenCoordinator>(run.world, "coord2").elections_won() == 1);
  REQUIRE_FALSE(run.world.violations().empty());
  const Violation& v = run.world.violations().front();
  CHECK(std::string(v.what) == "two holders");
  CHECK(v.time_us >= 7 * kUsPerS);  // when coord3 wakes up and grants from its old queue
  // The successor counted its epochs from its own 1: below the old coordinator's, so they fence nothing.
  bool lower_epoch_after_takeover = false;
  for (const Entry& e : entries_after(run, 4 * kUsPerS)) lower_epoch_after_takeover |= e.token <= 2;
  CHECK(lower_epoch_after_takeover);
}

TEST_CASE("Token re-election, fenced: the same coordinator pause gives no second token and no violation",
          "[locks][reelection]") {
  const ScenarioRun run = run_scenario("token_reelection_fenced_pause");
  CAPTURE(run.seed);
  CHECK(run.world.violations().empty());
  CHECK(run.world.mutex_checker().stale_writes() == 0);
  // coord2 took over during the pause; coord3 woke up without a majority behind it and did not grant
  // in term 0 after the pause (its tokens after waking carry a newer term).
  CHECK(process_of<TokenCoordinator>(run.world, "coord2").elections_won() >= 1);
  std::uint64_t newest_term = 0;
  for (const Entry& e : entries_after(run, 4 * kUsPerS)) {
    const std::uint64_t term = token_epoch_term(static_cast<std::uint64_t>(e.token));
    CAPTURE(e.time_us, e.token);
    CHECK(term >= 1);
    CHECK(term >= newest_term);  // terms only grow along the run
    newest_term = std::max(newest_term, term);
  }
  CHECK(entries_after(run, 7 * kUsPerS).size() >= 3);  // and the lock is live after the resume
}

TEST_CASE("Token re-election: the scenario keys parse strictly and name the JSON path", "[locks][reelection][scenario]") {
  const std::string base = R"({"name": "t", "nodes": [{"name": "coord", "role": "token_coordinator"}], "token_lock": )";
  const auto parse = [&](const std::string& token_lock) { return parse_scenario(base + token_lock + "}", "t.json"); };
  const ScenarioParse good = parse(R"({"reelection": "fenced", "heartbeat": "50ms", "election_timeout": "300ms", "lease": "2s"})");
  REQUIRE(good.errors.empty());
  const TokenLockConfig& t = good.scenario->config.token_lock;
  CHECK(t.reelection == TokenReelection::fenced);
  CHECK(t.heartbeat_us == 50 * kUsPerMs);
  CHECK(t.election_timeout_us == 300 * kUsPerMs);
  CHECK(t.lease_us == 2 * kUsPerS);
  // written back and read again: the same scenario
  const ScenarioParse again = parse_scenario(scenario_to_json(*good.scenario), "again.json");
  REQUIRE(again.errors.empty());
  CHECK(*again.scenario == *good.scenario);

  const ScenarioParse bad_mode = parse(R"({"reelection": "bully"})");
  REQUIRE(bad_mode.errors.size() == 1);
  CHECK(bad_mode.errors[0].find("$.token_lock.reelection") != std::string::npos);
  const ScenarioParse bad_timeout = parse(R"({"reelection": "naive", "heartbeat": "200ms", "election_timeout": "300ms"})");
  REQUIRE(bad_timeout.errors.size() == 1);
  CHECK(bad_timeout.errors[0].find("$.token_lock.election_timeout") != std::string::npos);
  const ScenarioParse unknown = parse(R"({"reelect": "naive"})");
  REQUIRE_FALSE(unknown.errors.empty());
  CHECK(unknown.errors[0].find("$.token_lock") != std::string::npos);
}
