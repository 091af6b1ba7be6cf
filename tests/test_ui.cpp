// The ImGui front end driven headless (no window, no GPU): every built-in scenario opens and
// runs for a second of frames without a crash, the simulation advances, and a broken scenario
// file shows an error while the running session is kept (the product rule for bad input).
#include <imgui.h>

#include <catch2/catch.hpp>

#include "ui/app.hpp"
#include "ui/app_core.hpp"
#include "tests/test_support.hpp"
#include "tests/ui_test_support.hpp"
#include "ui/world_helpers.hpp"

namespace dsplay::ui {

TEST_CASE("UI: every built-in scenario opens and runs 60 frames headless, and time advances", "[ui]") {
  HeadlessImGui imgui;
  Platform platform;
  AppCore probe(platform, {});
  REQUIRE(!probe.library().entries().empty());
  for (const auto& entry : probe.library().entries()) {
    INFO("scenario " << entry.path);
    AppOptions options;
    options.scenario_name = entry.path;
    AppCore app(platform, options);
    for (int i = 0; i < 60; ++i) imgui.frame(app);
    CHECK(app.session().world().now_us() > 0);
  }
}

TEST_CASE("UI: a broken scenario file shows an error and keeps the running session", "[ui]") {
  HeadlessImGui imgui;
  Platform platform;
  AppCore app(platform, {});
  for (int i = 0; i < 30; ++i) imgui.frame(app);
  const std::string name_before = app.session().scenario().name;
  const auto events_before = app.session().current_event();
  app.open_scenario_text("broken.json", "{\"name\": \"x\", \"nodes\": [ {\"name\": 1} ");
  CHECK(app.session().scenario().name == name_before);
  CHECK(app.session().current_event() == events_before);
  for (int i = 0; i < 30; ++i) imgui.frame(app);  // the error panel draws without trouble
  CHECK(app.session().scenario().name == name_before);
  app.open_scenario_text("unknown_role.json",
                         R"({"name": "y", "nodes": [{"name": "a", "role": "cashe"}]})");
  CHECK(app.session().scenario().name == name_before);
}
}  // namespace dsplay::ui

namespace dsplay::ui {
TEST_CASE("UI: core's \"node <id>\" references read as node names, whole words and known ids only", "[ui]") {
  const std::vector<std::string> names = {"s1", "s2", "coord3"};
  CHECK(with_node_names("standby, term 1, follows node 2", names) == "standby, term 1, follows coord3");
  CHECK(with_node_names("node 0 and node 1", names) == "s1 and s2");
  CHECK(with_node_names("node 3 is unknown", names) == "node 3 is unknown");
  CHECK(with_node_names("supernode 1, node 1x, node x", names) == "supernode 1, node 1x, node x");
  CHECK(with_node_names("", names).empty());
}
}  // namespace dsplay::ui

TEST_CASE("UI: the clock jumps move a node's wall clock by exactly the step from what it reads now, never its "
          "monotonic clock; the drift buttons change the rate without a jump, within +-10%",
          "[ui]") {
  using namespace dsplay;
  using ui::clock_drifted;
  using ui::clock_jumped;
  World world(dsplay::test::config_with_nodes({"a", "b"}));
  world.run_until(2 * kUsPerS);
  const NodeId a = dsplay::test::node_id(world, "a");
  REQUIRE(world.apply(SetClock{"a", 3 * kUsPerS, 2'000}).ok);  // skewed and drifting already
  world.run_until(7 * kUsPerS);
  const SimTimeUs wall_before_us = world.local_time_us(a);
  const SimTimeUs mono_before_us = world.monotonic_time_us(a);
  REQUIRE(world.apply(clock_jumped(world, a, 10 * kUsPerS)).ok);
  CHECK(world.local_time_us(a) == wall_before_us + 10 * kUsPerS);
  CHECK(world.monotonic_time_us(a) == mono_before_us);
  CHECK(world.nodes()[a].drift_ppm == 2'000);
  REQUIRE(world.apply(clock_jumped(world, a, -kUsPerS)).ok);
  CHECK(world.local_time_us(a) == wall_before_us + 9 * kUsPerS);

  const SimTimeUs wall_now_us = world.local_time_us(a);
  REQUIRE(world.apply(clock_drifted(world, a, 10'000)).ok);
  CHECK(world.local_time_us(a) == wall_now_us);  // no jump
  CHECK(world.nodes()[a].drift_ppm == 12'000);
  world.run_until(world.now_us() + kUsPerS);
  CHECK(world.local_time_us(a) == wall_now_us + kUsPerS + 12'000);  // 1.2% fast over one second
  for (int i = 0; i < 20; ++i) REQUIRE(world.apply(clock_drifted(world, a, -10'000)).ok);
  CHECK(world.nodes()[a].drift_ppm == -100'000);
}
