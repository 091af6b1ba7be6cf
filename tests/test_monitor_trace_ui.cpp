// The request-tracing panel (ui/trace_panel.hpp) driven headless: it follows the slowest request,
// "Filter the event log" hands that trace to the event log, and clicking the waterfall's first row
// (the client's span) pauses and seeks the timeline to where that request began.
#include <imgui.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>

#include "core/monitor/request_tracing.hpp"
#include "core/session.hpp"
#include "tests/test_support.hpp"
#include "tests/ui_test_support.hpp"
#include "ui/event_log_panel.hpp"
#include "ui/scenario_library.hpp"
#include "ui/trace_panel.hpp"

namespace dsplay::ui {

TEST_CASE("UI: the trace panel shows the slowest request; a click on its span seeks there", "[ui][trace]") {
  HeadlessImGui imgui;
  Session session(test::load_scenario("assets/scenarios/lb_round_robin_slow_server.json"));
  session.run_until(5 * kUsPerS);
  const World& world = session.world();
  const std::vector<std::string> names = world.node_names();
  const std::vector<std::uint32_t> ring_members;
  const Selection selection;
  const UiState ui_state;
  const ScenarioLibrary library;
  const View view{session, world, names, ring_members, selection, ui_state, library};

  // What the panel should show: the slowest request completed so far.
  std::vector<monitor::RequestTrace> traces =
      monitor::derive_request_traces(session.trace(), monitor::request_tracing_setup(world), false);
  REQUIRE(!traces.empty());
  const auto slowest = std::max_element(traces.begin(), traces.end(), [](const auto& a, const auto& b) {
    return a.duration_us() < b.duration_us();
  });

  TracePanel panel;
  EventLogPanel event_log;
  UiCommands out;
  auto frame = [&](ImVec2 mouse, bool down) {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = 1.0f / 60;
    io.MousePos = mouse;
    io.MouseDown[0] = down;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(1200, 500));
    ImGui::Begin("traces", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize);
    panel.draw(view, out);
    ImGui::End();
    ImGui::SetNextWindowPos(ImVec2(0, 520));
    ImGui::SetNextWindowSize(ImVec2(1200, 250));
    ImGui::Begin("log", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize);
    event_log.draw(view, out);
    ImGui::End();
    ImGui::Render();
  };
  for (int i = 0; i < 3; ++i) frame(ImVec2(-1, -1), false);

  // Click down the waterfall's left edge: first the "Filter the event log" button, then the rows.
  std::optional<monitor::RequestTrace> filtered;
  std::optional<UiAction> seek;
  bool paused_first = false;
  for (float y = 20; y < 480 && !seek; y += 4) {
    const ImVec2 at(400, y);
    out.clear();
    frame(at, false);
    frame(at, true);
    frame(at, false);
    if (auto f = panel.take_event_log_filter()) filtered = std::move(f);
    for (std::size_t i = 0; i < out.items.size(); ++i) {
      const auto* action = std::get_if<UiAction>(&out.items[i]);
      if (action == nullptr) continue;
      if (std::holds_alternative<SeekTime>(*action) || std::holds_alternative<SeekEvent>(*action)) {
        seek = *action;
        paused_first = i > 0 && std::holds_alternative<UiAction>(out.items[i - 1]) &&
                       std::holds_alternative<SetPlaying>(std::get<UiAction>(out.items[i - 1]));
      }
    }
  }
  REQUIRE(filtered.has_value());
  CHECK(filtered->trace_id == slowest->trace_id);  // the panel follows the slowest request
  REQUIRE(seek.has_value());
  CHECK(paused_first);
  // The first row is the client's span; a balancer request's client send is not an event of its
  // own, so the timeline seeks to its time.
  REQUIRE(std::holds_alternative<SeekTime>(*seek));
  CHECK(std::get<SeekTime>(*seek).time_us == slowest->start_us);

  // The event log takes the trace and shows exactly its records.
  event_log.filter_by_trace(*filtered);
  for (int i = 0; i < 3; ++i) frame(ImVec2(-1, -1), false);
  const std::vector<std::uint32_t>& rows = event_log.filtered_rows();
  REQUIRE_FALSE(rows.empty());
  const TraceLog& trace = session.trace();
  std::size_t owned = 0;
  for (std::size_t i = 0; i < trace.size(); ++i) owned += filtered->owns_record(trace[i]) ? 1 : 0;
  CHECK(rows.size() == owned);
  for (std::uint32_t row : rows) CHECK(filtered->owns_record(trace[row]));
}

}  // namespace dsplay::ui
