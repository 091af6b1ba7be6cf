// The ImGui front end driven headless (no window, no GPU): every built-in scenario opens and
// runs for a second of frames without a crash, the simulation advances, and a broken scenario
// file shows an error while the running session is kept (the product rule for bad input).
#include <imgui.h>

#include <catch2/catch.hpp>

#include "ui/app.hpp"
#include "ui/app_core.hpp"
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
