// The ImGui front end driven headless (no window, no GPU): every built-in scenario opens and
// runs for a second of frames without a crash, the simulation advances, and a broken scenario
// file shows an error while the running session is kept (the product rule for bad input).
#include <imgui.h>

#include <catch2/catch.hpp>

#include "ui/app.hpp"
#include "ui/app_core.hpp"
#include "tests/ui_test_support.hpp"

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
