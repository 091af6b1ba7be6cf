// The inspector (see inspector_panel.hpp).
#include "ui/inspector_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <string>

#include "ui/theme.hpp"
#include "ui/world_helpers.hpp"

namespace dsplay::ui {

namespace {
void row(const char* label, const char* fmt, ...) IM_FMTARGS(2);
void row(const char* label, const char* fmt, ...) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::TextDisabled("%s", label);
  ImGui::TableSetColumnIndex(1);
  va_list args;
  va_start(args, fmt);
  ImGui::TextWrappedV(fmt, args);
  va_end(args);
}

bool begin_pairs(const char* id) {
  if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) return false;
  ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthStretch, 0.42f);
  ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch, 0.58f);
  return true;
}
}  // namespace

void InspectorPanel::violations(const View& view, UiCommands& out) {
  const auto& list = view.world.violations();
  if (list.empty()) return;
  char text[128];
  std::snprintf(text, sizeof text, "%zu VIOLATION%s: an invariant broke. Click one to go to its event.", list.size(), list.size() == 1 ? "" : "S");
  banner(text, colour::danger_bg, colour::text);
  for (std::size_t i = 0; i < list.size() && i < 50; ++i) {
    const Violation& v = list[i];
    char line[200];
    std::snprintf(line, sizeof line, "#%llu  %s  %s%s%s%s", static_cast<unsigned long long>(v.event), format_duration(v.time_us).c_str(), v.what,
                  v.node != kNoNode ? ": " : "", v.node != kNoNode ? view.name_of(v.node) : "",
                  v.peer != kNoNode ? (std::string(" & ") + view.name_of(v.peer)).c_str() : "");
    ImGui::PushID(static_cast<int>(i));
    ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(colour::danger));
    if (ImGui::Selectable(line)) {
      out.act(SetPlaying{false});
      out.act(SeekEvent{v.event});
    }
    ImGui::PopStyleColor();
    ImGui::PopID();
  }
  if (list.size() > 50) ImGui::TextDisabled("... and %zu more", list.size() - 50);
  ImGui::Spacing();
}

void InspectorPanel::node_details(const View& view, UiCommands& out) {
  const World& world = view.world;
  const auto& nodes = world.nodes();
  const NodeId id = view.selection.primary();
  if (id == kNoNode || id >= nodes.size()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("Click a node to inspect it; ctrl-click to select several.");
    ImGui::PopStyleColor();
    return;
  }
  const Node& node = nodes[id];
  const NodeActivity activity = node_activity(node);
  const ImU32 state_col = node.removed ? colour::text_faint : !node.up ? colour::crashed_mark : node.paused ? colour::paused : activity_colour(activity);
  {
    const float h = ImGui::GetTextLineHeight();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(h, h));
    add_node_shape(ImGui::GetWindowDrawList(), ImVec2(p.x + h * 0.5f, p.y + h * 0.5f), h * 0.4f, node.role, state_col);
    ImGui::SameLine();
    ImGui::TextColored(to_vec4(colour::accent), "%s", node.name.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("%s", role_label(node.role));
    ImGui::SameLine();
    ImGui::TextColored(to_vec4(state_col), "%s", node.removed ? "removed" : !node.up ? "crashed" : node.paused ? "paused" : activity_name(activity));
  }
  if (view.selection.nodes.size() > 1) {
    std::string names;
    for (NodeId n : view.selection.nodes) names += (names.empty() ? "" : ", ") + std::string(view.name_of(n));
    ImGui::TextDisabled("%zu selected: %s", view.selection.nodes.size(), names.c_str());
  }
  // actions
  if (!node.removed) {
    if (node.up) {
      if (ImGui::SmallButton("Crash")) out.emit(CrashNode{node.name});
    } else if (ImGui::SmallButton("Restart")) {
      out.emit(RestartNode{node.name});
    }
    ImGui::SameLine();
    if (!node.paused) {
      if (!node.up) ImGui::BeginDisabled();
      if (ImGui::SmallButton("Pause")) out.emit(PauseNode{node.name});
      if (!node.up) ImGui::EndDisabled();
    } else if (ImGui::SmallButton("Resume")) {
      out.emit(ResumeNode{node.name});
    }
    if (is_lock_client(node.role)) {
      ImGui::SameLine();
      if (ImGui::SmallButton("Acquire")) out.emit(ClientOp{node.name, "acquire", 0});
      ImGui::SameLine();
      if (ImGui::SmallButton("Write")) out.emit(ClientOp{node.name, "write", 0});
      ImGui::SameLine();
      if (ImGui::SmallButton("Release")) out.emit(ClientOp{node.name, "release", 0});
    } else if (node.role == NodeRole::cache_client) {
      ImGui::SameLine();
      const std::int64_t keys = std::max<std::int64_t>(1, world.ring().config.key_count);
      get_key_ = std::clamp<std::int64_t>(get_key_, 0, keys - 1);
      char label[48];
      std::snprintf(label, sizeof label, "Get key-%lld", static_cast<long long>(get_key_));
      if (ImGui::SmallButton(label)) {
        out.emit(ClientOp{node.name, "get", get_key_});
        get_key_ = (get_key_ + 1) % keys;
      }
    }
    // Clock faults: the wall clock jumps (TTLs and leases read on it), the monotonic one never does.
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("clock");
    // On the same line while the button fits in the panel, else on the next.
    const auto small_button_flowing = [](const char* label) {
      const ImGuiStyle& style = ImGui::GetStyle();
      const float width = ImGui::CalcTextSize(label).x + 2 * style.FramePadding.x;
      const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
      if (ImGui::GetItemRectMax().x + style.ItemSpacing.x + width <= right) ImGui::SameLine();
      return ImGui::SmallButton(label);
    };
    for (const ClockFault& f : clock_faults(world, id)) {
      if (!f.enabled) continue;
      if (small_button_flowing(f.button)) out.emit(f.command);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: %s (its monotonic clock never jumps)", node.name.c_str(), f.menu);
    }
    if (view.selection.nodes.size() > 1) {
      ImGui::SameLine();
      auto partition = partition_off_command(world, view.selection.nodes);
      if (partition && ImGui::SmallButton("Partition selection")) out.emit(*partition);
    }
  }
  if (begin_pairs("##node")) {
    const std::string status = node_status(node, view.node_names);
    if (!status.empty()) row("status", "%s", status.c_str());
    for (const auto& [k, v] : node_inspect(node, view.node_names)) row(k.c_str(), "%s", v.c_str());
    row("local clock", "%s", format_duration(world.local_time_us(id)).c_str());
    if (node.clock_skew_us != 0 || node.drift_ppm != 0) {
      row("clock skew", "%s", format_duration(node.clock_skew_us).c_str());
      row("clock drift", "%d ppm", node.drift_ppm);
    } else {
      row("clock skew", "none");
    }
    row("pending timers", "%zu", node.live_timers.size());
    if (!node.deferred.empty()) row("events waiting", "%zu (paused)", node.deferred.size());
    row("crashes", "%u", node.crashes);
    const std::uint32_t member = id < view.ring_member_of_node.size() ? view.ring_member_of_node[id] : kNoMember;
    if (member != kNoMember) {
      const auto load = world.ring().keys_per_member();
      row("ring member", "#%u, %llu keys", member, static_cast<unsigned long long>(member < load.size() ? load[member] : 0));
    }
    const NetworkState& net = world.network();
    if (!net.groups().empty()) row("partition group", "%u", net.group_of(id));
    std::string cuts;
    for (const auto& [a, b] : net.cuts()) {
      if (a == id) cuts += std::string(cuts.empty() ? "" : ", ") + "to " + view.name_of(b);
      else if (b == id) cuts += std::string(cuts.empty() ? "" : ", ") + "from " + view.name_of(a);
    }
    if (!cuts.empty()) row("links cut", "%s", cuts.c_str());
    ImGui::EndTable();
  }
}

void InspectorPanel::scenario_info(const View& view) {
  const Scenario& scenario = view.session.scenario();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextColored(to_vec4(colour::text), "%s", scenario.title.empty() ? scenario.name.c_str() : scenario.title.c_str());
  if (!scenario.description.empty()) ImGui::TextColored(to_vec4(colour::text_dim), "%s", scenario.description.c_str());
  ImGui::PopTextWrapPos();
  ImGui::TextDisabled("%s \xc2\xb7 seed %llu \xc2\xb7 %zu scripted command%s", view.ui.scenario_source.empty() ? scenario.name.c_str() : view.ui.scenario_source.c_str(),
                      static_cast<unsigned long long>(view.world.seed()), scenario.script.size(), scenario.script.size() == 1 ? "" : "s");
}

void InspectorPanel::stats(const View& view) {
  const World& world = view.world;
  const WorldStats& st = world.stats();
  if (!ImGui::BeginTable("##stats", 4, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) return;
  auto cell = [](const char* label, unsigned long long value) {
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", label);
    ImGui::TableNextColumn();
    ImGui::Text("%llu", value);
  };
  cell("sent", st.sent);
  cell("delivered", st.delivered);
  cell("dropped", st.dropped);
  cell("duplicated", st.duplicated);
  cell("timers fired", st.timers_fired);
  cell("token grants", st.token_grants);
  cell("cache hits", st.cache_hits);
  cell("cache misses", st.cache_misses);
  cell("pending events", world.pending_events());
  const std::uint64_t replies = st.cache_hits + st.cache_misses;
  ImGui::TableNextColumn();
  ImGui::TextDisabled("hit rate");
  ImGui::TableNextColumn();
  if (replies) ImGui::Text("%.0f%%", 100.0 * static_cast<double>(st.cache_hits) / static_cast<double>(replies));
  else ImGui::TextDisabled("-");
  ImGui::EndTable();
}

void InspectorPanel::draw(const View& view, UiCommands& out) {
  violations(view, out);
  if (ImGui::CollapsingHeader("Selected node", ImGuiTreeNodeFlags_DefaultOpen)) node_details(view, out);
  if (ImGui::CollapsingHeader("Scenario", ImGuiTreeNodeFlags_DefaultOpen)) scenario_info(view);
  if (ImGui::CollapsingHeader("Statistics", ImGuiTreeNodeFlags_DefaultOpen)) stats(view);
}

}  // namespace dsplay::ui
