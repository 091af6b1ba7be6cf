// The help overlay (see help_overlay.hpp).
#include "ui/help_overlay.hpp"

#include <imgui.h>

#include <algorithm>

#include "ui/shortcuts.hpp"
#include "ui/theme.hpp"

namespace dsplay::ui {

void HelpOverlay::draw(const View& view, UiCommands& out) {
  if (!view.ui.show_help) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float s = view.scale;
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(640 * s, vp->WorkSize.x - 40), std::min(680 * s, vp->WorkSize.y - 40)), ImGuiCond_Always);
  ImGui::SetNextWindowFocus();
  bool open = true;
  if (ImGui::Begin("Help: keys, mouse and colours", &open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize)) {
    heading("Keyboard");
    if (ImGui::BeginTable("##keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthStretch, 0.3f);
      ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch, 0.7f);
      for (const ShortcutInfo& sc : shortcut_list()) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextColored(to_vec4(colour::accent), "%s", sc.keys);
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(sc.what);
      }
      ImGui::EndTable();
    }
    ImGui::Spacing();
    heading("Mouse");
    ImGui::BulletText("Cluster: click a node to select it, ctrl-click to select several.");
    ImGui::BulletText("Cluster: right-click a node to crash, pause, remove it, cut its links, or ask it to act.");
    ImGui::BulletText("Cluster: click a link (small clusters) to cut it one way or both ways.");
    ImGui::BulletText("Hash ring: hover to see who owns an arc; click an arc or a load bar to select its node.");
    ImGui::BulletText("Timeline: drag the bar to travel in time. Acting in the past forks a new future.");
    ImGui::BulletText("Space-time diagram: click an arrow or a mark to go to its event; wheel to zoom.");
    ImGui::BulletText("Event log: click a row to go to that event; type to filter.");
    ImGui::Spacing();
    heading("Colours and shapes");
    legend_item_shape(NodeRole::token_coordinator, colour::serving, "coordinator");
    ImGui::SameLine(0, 14 * s);
    legend_item_shape(NodeRole::token_client, colour::idle, "token client");
    ImGui::SameLine(0, 14 * s);
    legend_item_shape(NodeRole::cache, colour::serving, "cache server");
    ImGui::SameLine(0, 14 * s);
    legend_item_shape(NodeRole::cache_client, colour::active, "cache client");
    legend_item_dot(colour::idle, "idle");
    ImGui::SameLine(0, 14 * s);
    legend_item_dot(colour::waiting, "waiting");
    ImGui::SameLine(0, 14 * s);
    legend_item_dot(colour::active, "active / holds");
    ImGui::SameLine(0, 14 * s);
    legend_item_dot(colour::serving, "serving");
    ImGui::SameLine(0, 14 * s);
    legend_item_dot(colour::crashed_mark, "crashed");
    ImGui::SameLine(0, 14 * s);
    legend_item_dot(colour::paused, "paused");
    int count = 0;
    const LegendEntry* payloads = payload_legend(count);
    for (int i = 0; i < count; ++i) {
      if (i > 0) ImGui::SameLine(0, 14 * s);
      legend_item_dot(payloads[i].col, payloads[i].name);
    }
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("A gold ring marks a client that believes it holds the token. Cache servers are outlined in their ring colour. "
                        "Red dashed lines are cut links; tinted halos are partition groups.");
    ImGui::Spacing();
    heading("Determinism");
    ImGui::TextUnformatted("Every run is fully described by the scenario, the seed and your commands. The same seed gives the same run "
                           "on every machine and in the browser: change the seed to see another run, type it back to see this one again.");
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
  if (!open) out.act(ShowHelp{false});
}

}  // namespace dsplay::ui
