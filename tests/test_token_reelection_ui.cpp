// The token lock's coordinator re-election chosen from the UI (SetTokenReelection, the lock
// panel's off / naive / fenced selector), driven headless. The mode needs standby coordinators
// from t=0, so choosing it restarts the scenario from the start with the same seed and scripted
// faults. The claims are the ones docs/LOCKS.md makes for the built-in scenarios, checked on real
// runs of the switched scenario: the naive take-over during a coordinator pause gives two holders
// (Kleppmann, "How to do distributed locking", 2016: a paused process that believes it still
// holds authority), the fenced one does not; a share link of the switched run reopens it
// identically (the same trace hash); a scenario with one coordinator refuses with a status line.
#include <imgui.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "core/scenario.hpp"
#include "core/share.hpp"
#include "tests/ui_test_support.hpp"
#include "ui/app.hpp"
#include "ui/app_core.hpp"

namespace dsplay::ui {
namespace {

// The URL fragment kept in memory, like location.hash (share links go there on the web).
class MemoryPlatform final : public Platform {
 public:
  const char* name() const override { return "web"; }
  std::string url_fragment() override { return fragment; }
  void set_url_fragment(const std::string& f) override { fragment = f; }
  std::string fragment;
};

void act(AppCore& app, UiAction action) {
  UiCommands commands;
  commands.act(std::move(action));
  app.apply(commands);
}

AppCore open_app(Platform& platform, const std::string& scenario_name) {
  AppOptions options;
  options.scenario_name = scenario_name;
  return AppCore(platform, options);
}

// The violations a world recorded up to t (the app's frames may run a little past the scenario's end).
std::vector<std::string> violations_until(const World& world, SimTimeUs t_us) {
  std::vector<std::string> out;
  for (const Violation& v : world.violations()) {
    if (v.time_us > t_us) continue;
    out.push_back(std::string(v.what) + " @" + std::to_string(v.time_us) + " #" + std::to_string(v.event) + " " +
                  std::to_string(v.node) + "&" + std::to_string(v.peer));
  }
  return out;
}

// Plays the app's run (frames, as a learner watching it) past the scenario's end and checks it
// against a headless run of the very scenario the app holds; returns that run's violations.
std::vector<std::string> run_to_end(HeadlessImGui& imgui, AppCore& app) {
  const Scenario scenario = app.session().scenario();
  World headless = make_world(scenario);
  headless.run_until(scenario.until_us);
  act(app, SetSpeed{10.0});
  for (int f = 0; f < 2000 && app.session().world().now_us() < scenario.until_us; ++f) imgui.frame(app);
  REQUIRE(app.session().world().now_us() >= scenario.until_us);
  const std::vector<std::string> seen = violations_until(headless, scenario.until_us);
  CHECK(violations_until(app.session().world(), scenario.until_us) == seen);
  return seen;
}

bool has_two_holders(const std::vector<std::string>& violations) {
  for (const std::string& v : violations)
    if (v.rfind("two holders", 0) == 0) return true;
  return false;
}

}  // namespace

TEST_CASE("Token re-election UI: choosing a mode restarts the scenario at t=0 with the same seed and its scripted faults",
          "[ui][locks][reelection]") {
  HeadlessImGui imgui(0.1);
  Platform platform;
  AppCore app = open_app(platform, "token_reelection_split_brain");
  const Scenario original = app.session().scenario();
  REQUIRE(original.config.token_lock.reelection == TokenReelection::naive);
  act(app, Reseed{42});  // the seed shown (and edited) is the one kept, not the file's
  for (int i = 0; i < 20; ++i) imgui.frame(app);
  UiCommands crash;
  crash.emit(CrashNode{"c1"});  // a command of the learner's own: dropped by the restart
  app.apply(crash);
  for (int i = 0; i < 5; ++i) imgui.frame(app);
  REQUIRE(app.session().world().now_us() > 0);

  act(app, SetTokenReelection{TokenReelection::fenced});
  const Session& session = app.session();
  CHECK(session.world().config().token_lock.reelection == TokenReelection::fenced);
  CHECK(session.world().now_us() == 0);
  CHECK(session.current_event() == 0);
  CHECK(session.world().seed() == 42);
  CHECK(session.command_log().empty());
  CHECK(session.scenario().script == original.script);  // the pause at 4 s and the resume at 7 s
  CHECK(session.scenario().config.nodes == original.config.nodes);
  CHECK(session.scenario().title == original.title + " (re-election: fenced)");
  CHECK(session.scenario().name == original.name + "-reelection-fenced");
  CHECK(app.ui_state().scenario_source == original.name + " (re-election: fenced)");
  // The description still tells the naive story: a note first says what changed.
  CHECK(session.scenario().description.rfind("[Coordinator re-election switched to fenced", 0) == 0);
  CHECK(session.scenario().description.find("as written, with naive.] " + original.description) != std::string::npos);
  CHECK(app.library().find(app.ui_state().scenario_source) == nullptr);  // not mistaken for the built-in
  CHECK(app.ui_state().status.find("Restarted from 0 s") != std::string::npos);
  CHECK(app.ui_state().status.find("1 command was dropped") != std::string::npos);
  CHECK(app.ui_state().open_errors.empty());
  for (int i = 0; i < 10; ++i) imgui.frame(app);  // the panel draws the new mode

  // Switched again: one suffix, the newest mode.
  act(app, SetTokenReelection{TokenReelection::off});
  CHECK(app.session().world().config().token_lock.reelection == TokenReelection::off);
  CHECK(app.session().scenario().title == original.title + " (re-election: off)");
  CHECK(app.session().scenario().description ==
        "[Coordinator re-election switched to off in the lock panel; the text below is the scenario as written, with naive.] " +
            original.description);  // one note, not two
  CHECK(app.session().world().seed() == 42);
  // Back to the built-in's own mode: it is the built-in again (its share link names it).
  act(app, SetTokenReelection{TokenReelection::naive});
  Scenario expected = original;
  expected.config.seed = 42;
  CHECK(app.session().scenario() == expected);
  CHECK(app.ui_state().scenario_source == "assets/scenarios/token_reelection_split_brain.json");
  CHECK(app.session().world().now_us() == 0);
  for (int i = 0; i < 5; ++i) imgui.frame(app);
}

TEST_CASE("Token re-election UI: the split-brain scenario switched to fenced runs to its end with no violation, "
          "and the fenced pause switched to naive gives two holders",
          "[ui][locks][reelection]") {
  HeadlessImGui imgui(0.1);
  Platform platform;
  SECTION("naive -> fenced closes the hole") {
    AppCore app = open_app(platform, "token_reelection_split_brain");
    REQUIRE(app.session().world().config().token_lock.reelection == TokenReelection::naive);
    CAPTURE(app.session().world().seed());
    {  // the baseline: the scenario as shipped shows the split brain
      const Scenario shipped = app.session().scenario();
      World world = make_world(shipped);
      world.run_until(shipped.until_us);
      REQUIRE(has_two_holders(violations_until(world, shipped.until_us)));
    }
    act(app, SetTokenReelection{TokenReelection::fenced});
    REQUIRE(app.session().world().config().token_lock.reelection == TokenReelection::fenced);
    const std::vector<std::string> violations = run_to_end(imgui, app);
    CAPTURE(violations);
    CHECK(violations.empty());
    // The take-over did happen (this is not a run where nothing failed over).
    const auto& nodes = app.session().world().nodes();
    bool someone_won = false;
    for (const Node& n : nodes)
      if (const auto* c = std::get_if<TokenCoordinator>(&n.process)) someone_won = someone_won || c->elections_won() > 0;
    CHECK(someone_won);
  }
  SECTION("fenced -> naive reopens it") {
    AppCore app = open_app(platform, "token_reelection_fenced_pause");
    REQUIRE(app.session().world().config().token_lock.reelection == TokenReelection::fenced);
    CAPTURE(app.session().world().seed());
    {  // the baseline: the scenario as shipped is safe
      const Scenario shipped = app.session().scenario();
      World world = make_world(shipped);
      world.run_until(shipped.until_us);
      REQUIRE(violations_until(world, shipped.until_us).empty());
    }
    act(app, SetTokenReelection{TokenReelection::naive});
    REQUIRE(app.session().world().config().token_lock.reelection == TokenReelection::naive);
    const std::vector<std::string> violations = run_to_end(imgui, app);
    CAPTURE(violations);
    CHECK(has_two_holders(violations));
  }
}

TEST_CASE("Token re-election UI: a share link made after the switch reopens the identical run", "[ui][locks][reelection][share]") {
  HeadlessImGui imgui(0.1);
  MemoryPlatform platform;
  AppCore app = open_app(platform, "token_reelection_fenced_pause");
  act(app, SetTokenReelection{TokenReelection::naive});
  act(app, SetSpeed{10.0});
  for (int i = 0; i < 9; ++i) imgui.frame(app);  // about 9 s: past the pause and the second grant
  act(app, SetPlaying{false});
  imgui.frame(app);
  const std::uint64_t hash = app.session().world().trace_hash();
  const std::uint64_t event = app.session().current_event();
  REQUIRE(event > 0);
  act(app, CourseAction{CourseAction::Op::share_link, {}, 0, 0});
  const std::string link = platform.fragment;
  REQUIRE(link.rfind("share=", 0) == 0);
  std::string error;
  const auto share = decode_share_link(link, error);
  REQUIRE(share);
  CHECK(share->scenario.empty());       // not the built-in by name: it would lose the mode
  CHECK_FALSE(share->scenario_json.empty());  // the switched scenario, whole

  MemoryPlatform other;
  other.fragment = link;
  AppCore reopened(other, {});
  CHECK(reopened.ui_state().open_errors.empty());
  CHECK(reopened.session().scenario() == app.session().scenario());
  CHECK(reopened.session().world().config().token_lock.reelection == TokenReelection::naive);
  CHECK(reopened.session().current_event() == event);
  CHECK(reopened.session().world().trace_hash() == hash);
  CHECK(reopened.ui_state().status.find("identical") != std::string::npos);
  imgui.frame(reopened);
}

TEST_CASE("Token re-election UI: with one coordinator, or in a lesson, the switch is refused on the status line and the run is kept",
          "[ui][locks][reelection]") {
  HeadlessImGui imgui(0.1);
  Platform platform;
  {
    AppCore app = open_app(platform, "token_coordinator_crash");
    for (int i = 0; i < 10; ++i) imgui.frame(app);
    const Scenario before = app.session().scenario();
    const std::uint64_t event = app.session().current_event();
    act(app, SetTokenReelection{TokenReelection::fenced});
    CHECK(app.session().scenario() == before);
    CHECK(app.session().current_event() == event);
    CHECK(app.ui_state().status.rfind("Rejected: coordinator re-election needs at least 2", 0) == 0);
    CHECK(app.ui_state().open_errors.empty());
    for (int i = 0; i < 5; ++i) imgui.frame(app);  // the panel draws its disabled selector
  }
  {
    AppOptions options;
    options.lesson_name = "locks_token_coordinator";
    AppCore app(platform, options);
    REQUIRE(app.lesson_player().active());
    const Scenario before = app.session().scenario();
    act(app, SetTokenReelection{TokenReelection::naive});
    CHECK(app.lesson_player().active());
    CHECK(app.session().scenario() == before);
    CHECK(app.ui_state().status.rfind("Rejected:", 0) == 0);
  }
}

}  // namespace dsplay::ui
