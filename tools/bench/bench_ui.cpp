// Benchmark of the UI (Google Benchmark):
//   BM_UiFrame  CPU time to build one complete ImGui frame of the app with no GPU: NewFrame ->
//               app frame (simulation budget, every panel, command application) -> Render, on a
//               1600x900 display with a busy scene: 58 nodes, ~800 messages in flight, 50 cache
//               servers x 160 ring points and 1000 keys, a long trace. Target <= 4 ms per frame.
// It drives ui::AppCore, the object behind ui::App (App::frame only forwards to it), so the
// scene and the in-flight counter can be read back.
#include <benchmark/benchmark.h>

// Needs dsplay_ui (and through it Dear ImGui) linked into dsplay_bench; until the build does
// that, this file compiles to nothing instead of breaking the core benchmarks.
#if __has_include(<imgui.h>)
#include <imgui.h>

#include <cstdio>
#include <string>

#include "core/scenario.hpp"
#include "ui/app_core.hpp"

namespace dsplay {
namespace {

// 50 cache servers on a 160-point ring, 4 cache clients sending a get every ~10 ms over a constant
// 1 s latency (so ~400 gets and ~400 replies stay on the wire), plus a token lock with 3 clients.
Scenario busy_scenario() {
  Scenario s;
  s.name = "bench-ui-busy";
  s.title = "Benchmark: a busy cluster";
  s.config.seed = 7;
  s.config.network.latency.kind = LatencyKind::constant;
  s.config.network.latency.min_us = 1 * kUsPerS;
  s.config.network.latency.max_us = 1 * kUsPerS;
  s.config.cache.request_interval_us = 10 * kUsPerMs;
  s.config.ring.points_per_node = 160;
  s.config.ring.key_count = 1000;
  char name[32];
  for (int i = 1; i <= 50; ++i) {
    std::snprintf(name, sizeof name, "cache-%02d", i);
    s.config.nodes.push_back({name, NodeRole::cache, 0, 0});
  }
  for (int i = 1; i <= 4; ++i) s.config.nodes.push_back({"reader-" + std::to_string(i), NodeRole::cache_client, 0, 0});
  s.config.nodes.push_back({"coord", NodeRole::token_coordinator, 0, 0});
  for (int i = 1; i <= 3; ++i) s.config.nodes.push_back({"client-" + std::to_string(i), NodeRole::token_client, 0, 0});
  return s;
}

void BM_UiFrame(benchmark::State& state) {
  ImGuiContext* context = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(1600, 900);
  io.DeltaTime = 1.0f / 60.0f;
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);  // the font atlas, as a shell would build it

  ui::Platform platform;  // headless: no files, no settings
  ui::AppCore app(platform, ui::AppOptions{});
  app.open_scenario_text("bench-ui-busy.json", scenario_to_json(busy_scenario()));
  auto frame = [&](double dt_s) {
    ImGui::NewFrame();
    app.frame(dt_s);
    ImGui::Render();
  };
  // Warm up to a steady state: 3 s of simulated time at 1x (frames of 0.1 s, the clamp).
  ui::UiCommands commands;
  commands.act(ui::SetSpeed{1.0});
  commands.act(ui::SetPlaying{true});
  app.apply(commands);
  for (int i = 0; i < 30; ++i) frame(0.1);

  for (auto _ : state) frame(1.0 / 60.0);

  const World& world = app.session().world();
  state.counters["in_flight"] = static_cast<double>(world.messages_in_flight().size());
  state.counters["nodes"] = static_cast<double>(world.nodes().size());
  state.counters["ring_points"] = static_cast<double>(world.ring().ring().points().size());
  state.counters["trace_records"] = static_cast<double>(app.session().trace().size());
  state.counters["vertices"] = static_cast<double>(ImGui::GetDrawData()->TotalVtxCount);
  ImGui::DestroyContext(context);
}
BENCHMARK(BM_UiFrame)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace dsplay

#endif  // __has_include(<imgui.h>)
