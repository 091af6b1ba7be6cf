// The menu bar, the network settings window and the scenario error panel (see menus.hpp).
#include "ui/menus.hpp"

#include "core/world_stats.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "ui/lesson_player.hpp"
#include "ui/scenario_library.hpp"
#include "ui/theme.hpp"
#include "ui/world_helpers.hpp"

namespace dsplay::ui {

float MenuBar::draw(const View& view, UiCommands& out, bool can_quit) {
  float height = 0;
  if (!ImGui::BeginMainMenuBar()) return height;
  height = ImGui::GetWindowSize().y;
  if (ImGui::BeginMenu("Scenario")) {
    ImGui::TextDisabled("Built-in scenarios");
    const auto& entries = view.library.entries();
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const ScenarioEntry& e = entries[i];
      ImGui::PushID(static_cast<int>(i));
      const bool current = e.path == view.ui.scenario_source;
      if (ImGui::MenuItem(e.title.c_str(), nullptr, current, e.scenario.has_value())) out.act(OpenBuiltin{e.path});
      if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
        ImGui::TextDisabled("%s", e.path.c_str());
        if (e.scenario && !e.scenario->description.empty()) ImGui::TextUnformatted(e.scenario->description.c_str());
        if (!e.error.empty()) ImGui::TextColored(to_vec4(colour::danger), "%s", e.error.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
      ImGui::PopID();
    }
    if (ImGui::MenuItem("Demo: token lock + cache ring (built in code)", nullptr, view.ui.scenario_source.empty())) out.act(OpenBuiltin{""});
    ImGui::Separator();
    if (ImGui::MenuItem("Restart this scenario")) out.act(RestartScenario{});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("From the start, without your commands");
    ImGui::Separator();
    if (ImGui::MenuItem("Save scenario...")) out.act(SaveScenario{});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The scenario with your commands added to its script and the current seed,\nso opening it replays this run");
    if (ImGui::MenuItem("Export trace...")) out.act(ExportTrace{});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Every record up to now, one line each (the format of the event log)");
    if (can_quit) {
      ImGui::Separator();
      if (ImGui::MenuItem("Quit")) out.act(Quit{});
    }
    ImGui::TextDisabled("Drop a scenario .json on the window to open it");
    ImGui::EndMenu();
  }
  course_menus(view, out);  // "Lessons" and "Share" (ui/lesson_player.cpp)
  if (ImGui::BeginMenu("Simulation")) {
    if (ImGui::MenuItem(view.ui.playing ? "Pause" : "Play", "Space")) out.act(TogglePlaying{});
    if (ImGui::MenuItem("Step one event", "Right")) out.act(StepEvent{});
    if (ImGui::MenuItem("Run to the next delivery", "Shift+Right")) out.act(StepDelivery{});
    if (ImGui::MenuItem("Step back one event", "Left", false, view.session.current_event() > 0)) out.act(StepBack{});
    if (ImGui::MenuItem("Back to the start", "Home")) out.act(SeekEvent{0});
    if (ImGui::MenuItem("Jump to the present", "End", false, view.session.in_past())) out.act(SeekPresent{});
    ImGui::Separator();
    if (ImGui::MenuItem("Faster", "+")) out.act(ScaleSpeed{2.0});
    if (ImGui::MenuItem("Slower", "-")) out.act(ScaleSpeed{0.5});
    if (ImGui::MenuItem("Default speed for this scenario")) out.act(SetSpeed{0});
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Network")) {
    if (ImGui::MenuItem("Settings (latency, loss, ...)", nullptr, view.ui.show_network_settings)) out.act(ShowNetworkSettings{!view.ui.show_network_settings});
    const bool damaged = !view.world.network().cuts().empty() || !view.world.network().groups().empty();
    if (ImGui::MenuItem("Heal the network", nullptr, false, damaged)) out.emit(HealNetwork{});
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keys, mouse and colours", "H")) out.act(ShowHelp{true});
    ImGui::EndMenu();
  }
  // right side: the scenario title and a hint
  {
    const Scenario& scenario = view.session.scenario();
    const std::string& title = scenario.title.empty() ? scenario.name : scenario.title;
    const char* hint = "H: help";
    const float hint_w = ImGui::CalcTextSize(hint).x;
    const float title_w = ImGui::CalcTextSize(title.c_str()).x;
    const float right = ImGui::GetWindowContentRegionMax().x;
    const float x = right - title_w - hint_w - 30 * view.scale;
    if (x > ImGui::GetCursorPosX() + 20 * view.scale) {
      ImGui::SameLine(x);
      ImGui::TextColored(to_vec4(colour::text_dim), "%s", title.c_str());
    }
    ImGui::SameLine(right - hint_w);
    ImGui::TextColored(to_vec4(colour::accent), "%s", hint);
  }
  ImGui::EndMainMenuBar();
  return height;
}

namespace {
bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}
}  // namespace

void NetworkSettingsWindow::draw(const View& view, UiCommands& out) {
  if (!view.ui.show_network_settings) return;
  const auto& params = world_params();
  edit_.resize(params.size(), 0);
  active_.resize(params.size(), 0);
  const float s = view.scale;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + 60 * s), ImGuiCond_Appearing, ImVec2(0.5f, 0.0f));
  ImGui::SetNextWindowSize(ImVec2(460 * s, 0), ImGuiCond_Appearing);
  bool open = true;
  if (ImGui::Begin("Network and protocol settings", &open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::PushTextWrapPos(440 * s);
    ImGui::TextDisabled("Each change is a command (SetParam) on the timeline, applied when you release the slider. "
                        "Ctrl-click a slider to type a value.");
    ImGui::PopTextWrapPos();
    std::string_view group;
    for (std::size_t i = 0; i < params.size(); ++i) {
      const ParamInfo& p = params[i];
      const std::string_view name = p.name;
      const std::string_view prefix = name.substr(0, name.find('.'));
      if (prefix != group) {
        group = prefix;
        ImGui::Spacing();
        heading(prefix == "net" ? "Network" : prefix == "token" ? "Token lock" : prefix == "ring" ? "Hash ring" : prefix == "cache" ? "Cache clients" : p.name);
      }
      const auto current = world_param_value(view.world, name);
      if (!current) continue;
      ImGui::PushID(static_cast<int>(i));
      std::string short_name(name.substr(name.find('.') + 1));
      std::replace(short_name.begin(), short_name.end(), '_', ' ');
      ImGui::SetNextItemWidth(240 * s);
      bool commit = false;
      std::int64_t value = *current;
      if (name == "net.latency_kind" || name == "ring.algo") {
        static const char* const kLatency[] = {"constant", "uniform", "long tail"};
        static const char* const kAlgo[] = {"consistent-hash ring", "modulo"};
        const bool latency = name == "net.latency_kind";
        int choice = static_cast<int>(*current);
        if (ImGui::Combo(short_name.c_str(), &choice, latency ? kLatency : kAlgo, latency ? 3 : 2)) {
          value = choice;
          commit = true;
        }
      } else if (p.min == 0 && p.max == 1) {
        bool on = *current != 0;
        if (ImGui::Checkbox(short_name.c_str(), &on)) {
          value = on ? 1 : 0;
          commit = true;
        }
      } else {
        // ppm as percent, microseconds as milliseconds, both on a log scale
        const bool ppm = ends_with(name, "_ppm");
        const bool us = ends_with(name, "_us");
        const double unit = ppm ? 10000.0 : us ? 1000.0 : 1.0;
        if (!active_[i]) edit_[i] = static_cast<double>(*current) / unit;
        float shown = static_cast<float>(edit_[i]);
        const float lo = static_cast<float>(static_cast<double>(p.min) / unit), hi = static_cast<float>(static_cast<double>(p.max) / unit);
        const char* fmt = ppm ? "%.2f %%" : us ? "%.1f ms" : "%.0f";
        std::string label = short_name;
        if (ppm) label = label.substr(0, label.size() - 4);  // "loss ppm" -> "loss"
        if (us) label = label.substr(0, label.size() - 3);   // "hold us" -> "hold"
        ImGui::SliderFloat(label.c_str(), &shown, lo, hi, fmt, ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
        edit_[i] = shown;
        active_[i] = ImGui::IsItemActive() ? 1 : 0;
        if (ImGui::IsItemDeactivatedAfterEdit()) {
          value = std::clamp(static_cast<std::int64_t>(std::llround(edit_[i] * unit)), p.min, p.max);
          commit = value != *current;
        }
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n(%s)", p.help, p.name);
      if (commit) out.emit(SetParam{std::string(name), value});
      ImGui::PopID();
    }
  }
  ImGui::End();
  if (!open) out.act(ShowNetworkSettings{false});
}

void ErrorPanel::draw(const View& view, UiCommands& out) {
  if (view.ui.open_errors.empty()) return;
  const float s = view.scale;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.3f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(620 * s, vp->WorkSize.x - 40), 0), ImGuiCond_Always);
  ImGui::PushStyleColor(ImGuiCol_TitleBg, to_vec4(colour::danger_bg));
  ImGui::PushStyleColor(ImGuiCol_TitleBgActive, to_vec4(colour::danger_bg));
  bool open = true;
  if (ImGui::Begin("Could not open the file", &open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize)) {
    ImGui::TextColored(to_vec4(colour::text), "%s", view.ui.open_errors_source.c_str());
    ImGui::PushTextWrapPos(0.0f);
    const std::size_t shown = std::min<std::size_t>(view.ui.open_errors.size(), 12);
    for (std::size_t i = 0; i < shown; ++i) ImGui::TextColored(to_vec4(IM_COL32(255, 150, 150, 255)), "%s", view.ui.open_errors[i].c_str());
    if (view.ui.open_errors.size() > shown) ImGui::TextDisabled("... and %zu more", view.ui.open_errors.size() - shown);
    ImGui::TextDisabled("What you had open is still running. The formats are described in docs/SCENARIO_FORMAT.md (scenarios) and docs/LESSONS.md (lessons).");
    ImGui::PopTextWrapPos();
    if (ImGui::Button("Dismiss")) open = false;
  }
  ImGui::End();
  ImGui::PopStyleColor(2);
  if (!open) out.act(DismissError{});
}

}  // namespace dsplay::ui
