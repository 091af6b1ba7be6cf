// Share links and share files (core/share.hpp): base64url is RFC 4648 section 5; a run shared at
// any point, with commands applied between events that share a timestamp, rebuilds to the same
// world and the same trace hash (the wasm build runs this test too, so both builds rebuild the
// same runs); damaged, foreign and oversized links give one-line errors.
#include <catch2/catch.hpp>

#include "core/rng.hpp"
#include "core/scenario.hpp"
#include "core/share.hpp"
#include "tests/test_support.hpp"

using namespace dsplay;

namespace {

// A session with user commands at awkward points: mid-way through events at one time, in the
// past (a fork), after a seek.
Session played_session(const Scenario& scenario) {
  Session session(scenario, 400);
  session.run_until(2 * kUsPerS);
  for (int i = 0; i < 7; ++i) session.step_event();
  session.apply(CrashNode{"coord"});
  session.step_event();
  session.apply(RestartNode{"coord"});  // lands between two events of the same instant, maybe
  session.run_until(5 * kUsPerS);
  session.apply(CutLink{"coord", "c2", true});
  session.apply(ClientOp{"c9", "acquire", 0});  // rejected (no such node): still an event
  session.run_until(9 * kUsPerS);
  session.seek_time(7 * kUsPerS);  // back in time, then act: the future is discarded
  session.apply(HealNetwork{});
  session.run_until(11 * kUsPerS);
  for (int i = 0; i < 3; ++i) session.step_event();
  return session;
}

}  // namespace

TEST_CASE("Share: base64url round-trips every byte string (RFC 4648 section 5, no padding)", "[share]") {
  CHECK(base64url_encode("") == "");
  CHECK(base64url_encode("f") == "Zg");
  CHECK(base64url_encode("fo") == "Zm8");
  CHECK(base64url_encode("foo") == "Zm9v");
  CHECK(base64url_encode("foob") == "Zm9vYg");
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  Rng rng(99);
  for (int n = 0; n < 200; ++n) {
    std::string bytes(rng.below(40), '\0');
    for (char& c : bytes) c = static_cast<char>(rng.below(256));
    const auto back = base64url_decode(base64url_encode(bytes));
    REQUIRE(back.has_value());
    CHECK(*back == bytes);
  }
  CHECK_FALSE(base64url_decode("Zm9v!").has_value());
  CHECK_FALSE(base64url_decode("Z").has_value());
}

TEST_CASE("Share: a shared run rebuilds to the same world and trace hash", "[share]") {
  const Scenario scenario = dsplay::test::load_scenario("assets/scenarios/token_lock.json");
  const Session session = played_session(scenario);
  ShareState share = capture_share(session);
  share.scenario = scenario.name;
  REQUIRE(share.log.size() >= 5);

  std::string error;
  const auto link = encode_share_link(share, error);
  INFO(error);
  REQUIRE(link.has_value());
  CHECK(link->size() < kShareLinkMaxChars);
  const auto decoded = decode_share_link("#share=" + *link, error);
  INFO(error);
  REQUIRE(decoded.has_value());
  CHECK(*decoded == share);

  ShareRebuild rebuilt = rebuild_shared_run(scenario, *decoded);
  INFO(rebuilt.error);
  REQUIRE(rebuilt.session);
  CHECK(rebuilt.hash_matches);
  CHECK(rebuilt.session->world().trace_hash() == session.world().trace_hash());
  CHECK(rebuilt.session->world() == session.world());
  CHECK(rebuilt.session->command_log() == std::vector<LoggedCommand>(share.log));

  // The share file holds the same.
  const auto from_file = parse_share_file(share_file_text(share), error);
  REQUIRE(from_file.has_value());
  CHECK(*from_file == share);
}

TEST_CASE("Share: a rebuilt run goes on exactly like the original", "[share]") {
  const Scenario scenario = dsplay::test::load_scenario("tests/scenarios/everything.json");
  Session original(scenario, 500);
  original.run_until(3 * kUsPerS);
  original.apply(PauseNode{original.world().nodes()[1].name});
  original.run_until(4 * kUsPerS);
  ShareState share = capture_share(original);
  share.scenario_json = scenario_to_json(scenario);
  ShareRebuild rebuilt = rebuild_shared_run(scenario, share);
  REQUIRE(rebuilt.session);
  CHECK(rebuilt.hash_matches);
  original.run_until(20 * kUsPerS);
  rebuilt.session->run_until(20 * kUsPerS);
  CHECK(rebuilt.session->world().trace_hash() == original.world().trace_hash());
}

TEST_CASE("Share: damaged, foreign and oversized links give one-line errors", "[share]") {
  const Scenario scenario = dsplay::test::load_scenario("assets/scenarios/token_lock.json");
  Session session(scenario);
  session.run_until(3 * kUsPerS);
  session.apply(CrashNode{"c1"});
  ShareState share = capture_share(session);
  share.scenario = scenario.name;
  std::string error;
  const std::string link = *encode_share_link(share, error);

  auto fails = [&](const std::string& text, const std::string& expected) {
    std::string why;
    CAPTURE(text.substr(0, 80));
    CHECK_FALSE(decode_share_link(text, why).has_value());
    CAPTURE(why);
    CHECK(why.find(expected) != std::string::npos);
    CHECK(why.find('\n') == std::string::npos);
  };
  std::string flipped = link;
  flipped[link.size() / 2] = flipped[link.size() / 2] == 'A' ? 'B' : 'A';
  fails(flipped, "damaged");
  fails(link.substr(0, link.size() - 20), "damaged");
  fails("1.abc", "damaged");
  fails("hello", "damaged");
  fails("2" + link.substr(1), "another version");
  fails(link + std::string(kShareLinkMaxChars, 'A'), "too long");

  // A log that does not fit the scenario: a different seed changes the run under it.
  ShareState other = share;
  other.seed = share.seed + 1;
  const ShareRebuild rebuilt = rebuild_shared_run(scenario, other);
  CHECK((!rebuilt.session || !rebuilt.hash_matches));

  // A run too long for a link is refused with a pointer to share files.
  Session busy(scenario);
  for (int i = 0; i < 400; ++i) {
    busy.run_until(busy.world().now_us() + 50 * kUsPerMs);
    busy.apply(SetParam{"net.loss_ppm", i});
  }
  ShareState big = capture_share(busy);
  big.scenario = scenario.name;
  CHECK_FALSE(encode_share_link(big, error).has_value());
  CHECK(error.find("share file") != std::string::npos);
}
