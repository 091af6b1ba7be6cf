// The cluster view (see cluster_view.hpp): a circle of nodes with animated messages in flight.
#include "ui/cluster_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ui/raft_panel.hpp"
#include "ui/theme.hpp"
#include "ui/world_helpers.hpp"

namespace dsplay::ui {

namespace {
constexpr float kPi = 3.14159265358979f;

ImVec2 add(ImVec2 a, ImVec2 b) { return ImVec2(a.x + b.x, a.y + b.y); }
ImVec2 sub(ImVec2 a, ImVec2 b) { return ImVec2(a.x - b.x, a.y - b.y); }
ImVec2 mul(ImVec2 a, float k) { return ImVec2(a.x * k, a.y * k); }
float length(ImVec2 a) { return std::sqrt(a.x * a.x + a.y * a.y); }

void add_pill(ImDrawList* dl, ImVec2& cursor, const char* text, ImU32 bg, ImU32 fg) {
  const ImVec2 ts = ImGui::CalcTextSize(text);
  const ImVec2 pad(6, 2);
  dl->AddRectFilled(cursor, ImVec2(cursor.x + ts.x + pad.x * 2, cursor.y + ts.y + pad.y * 2), bg, 4.0f);
  dl->AddText(ImVec2(cursor.x + pad.x, cursor.y + pad.y), fg, text);
  cursor.x += ts.x + pad.x * 2 + 6;
}

// A legend drawn straight into the draw list (no widgets, so it never steals clicks), in a
// slightly smaller font. Returns its height; with draw = false it only measures.
// Shows the node roles present and the message types sent (payload_sent, by payload index).
float draw_legend(ImDrawList* dl, ImVec2 bottom_left, float max_w, float scale, bool draw, const World& world,
                  const std::vector<std::uint8_t>& payload_sent) {
  struct Item {
    int kind;  // 0 shape, 1 fill swatch, 2 message dot, 3 crashed, 4 paused, 5 token, 6 cut
    NodeRole role;
    ImU32 col;
    const char* label;
  };
  static constexpr int kRows = 3;
  static constexpr int kPerRow = 16;
  int payload_count = 0;
  const LegendEntry* payloads = payload_legend(payload_count);
  Item rows[kRows][kPerRow];
  int counts[kRows] = {0, 0, 0};
  auto push = [&](int r, Item item) {
    if (counts[r] < kPerRow) rows[r][counts[r]++] = item;
  };
  std::uint64_t roles_seen = 0;  // bit per NodeRole
  for (const Node& node : world.nodes()) {
    const auto bit = std::uint64_t{1} << (static_cast<unsigned>(node.role) % 64);
    if (node.removed || (roles_seen & bit) != 0) continue;
    roles_seen |= bit;
    push(0, {0, node.role, colour::idle, role_label(node.role)});
  }
  push(0, {6, NodeRole::plain, colour::link_cut, "cut link"});
  push(1, {1, NodeRole::plain, colour::idle, "idle"});
  push(1, {1, NodeRole::plain, colour::waiting, "waiting"});
  push(1, {1, NodeRole::plain, colour::active, "active"});
  push(1, {1, NodeRole::plain, colour::serving, "serving"});
  if ((roles_seen & (std::uint64_t{1} << static_cast<unsigned>(NodeRole::token_client))) != 0)
    push(1, {5, NodeRole::plain, colour::token_gold, "holds token"});
  push(1, {3, NodeRole::plain, colour::crashed_fill, "crashed"});
  push(1, {4, NodeRole::plain, colour::paused, "paused"});
  for (int i = 0; i < payload_count; ++i) {
    if (static_cast<std::size_t>(i) < payload_sent.size() && payload_sent[static_cast<std::size_t>(i)])
      push(2, {2, NodeRole::plain, payloads[i].col, payloads[i].name});
  }

  ImFont* font = ImGui::GetFont();
  const float font_size = ImGui::GetFontSize() * 0.82f;
  const float line_h = font_size + 3 * scale;
  const float sw = font_size;  // swatch width
  const ImVec2 pad(6 * scale, 4 * scale);
  // first pass: flow the items into lines no wider than max_w (groups a little apart)
  float x = 0, y = 0;
  ImVec2 at_of[kRows][kPerRow];
  for (int r = 0; r < kRows; ++r) {
    if (x > 0) x += 8 * scale;
    for (int i = 0; i < counts[r]; ++i) {
      const float w = sw + 3 * scale + font->CalcTextSizeA(font_size, FLT_MAX, 0, rows[r][i].label).x + 9 * scale;
      if (x > 0 && x + w > max_w - pad.x * 2) {
        x = 0;
        y += line_h;
      }
      at_of[r][i] = ImVec2(x, y);
      x += w;
    }
  }
  const float height = y + line_h + pad.y * 2;
  if (!draw) return height;
  const ImVec2 box_min(bottom_left.x, bottom_left.y - height);
  dl->AddRectFilled(box_min, ImVec2(bottom_left.x + max_w, bottom_left.y), IM_COL32(12, 14, 20, 170), 5.0f);
  for (int r = 0; r < kRows; ++r) {
    for (int i = 0; i < counts[r]; ++i) {
      const Item& item = rows[r][i];
      const ImVec2 at(box_min.x + pad.x + at_of[r][i].x, box_min.y + pad.y + at_of[r][i].y);
      const ImVec2 c(at.x + sw * 0.5f, at.y + font_size * 0.5f + 1);
      const float rad = font_size * 0.34f;
      switch (item.kind) {
        case 0: add_node_shape(dl, c, rad, item.role, item.col); break;
        case 1: dl->AddCircleFilled(c, rad, item.col, 12); break;
        case 2:
          dl->AddLine(ImVec2(c.x - rad * 1.6f, c.y), c, with_alpha(item.col, 110), 2.0f);
          dl->AddCircleFilled(c, rad * 0.7f, item.col, 10);
          break;
        case 3:
          dl->AddCircleFilled(c, rad, colour::crashed_fill, 12);
          add_cross(dl, c, rad * 0.6f, colour::crashed_mark, 2.0f);
          break;
        case 4:
          dl->AddCircleFilled(c, rad, colour::paused, 12);
          add_pause_glyph(dl, c, rad * 0.55f, colour::text);
          break;
        case 5:
          dl->AddCircleFilled(c, rad * 0.75f, colour::active, 12);
          dl->AddCircle(c, rad * 1.15f, colour::token_gold, 12, 2.0f);
          break;
        case 6: add_dashed_line(dl, ImVec2(c.x - rad * 1.4f, c.y), ImVec2(c.x + rad * 1.4f, c.y), colour::link_cut, 2.0f, 3.0f, 2.0f); break;
      }
      dl->AddText(font, font_size, ImVec2(at.x + sw + 3 * scale, at.y), colour::text_dim, item.label);
    }
  }
  return height;
}
}  // namespace

void ClusterView::scan_sent_payloads(const View& view) {
  const TraceLog& trace = view.session.trace();
  const std::pair<const void*, std::uint64_t> of{&view.session, view.ui.trace_generation};
  if (of != payloads_scanned_of_ || payloads_scanned_ > trace.size()) {  // another run, or the log rewritten
    payloads_scanned_of_ = of;
    payloads_scanned_ = 0;
    payload_sent_.clear();
  }
  for (; payloads_scanned_ < trace.size(); ++payloads_scanned_) {
    const TraceRecord& record = trace[payloads_scanned_];
    if (record.kind != TraceKind::send) continue;
    const int index = payload_label_index(record.label);
    if (index < 0) continue;
    if (payload_sent_.size() <= static_cast<std::size_t>(index)) payload_sent_.resize(static_cast<std::size_t>(index) + 1, 0);
    payload_sent_[static_cast<std::size_t>(index)] = 1;
  }
}

void add_node_items(const View& view, UiCommands& out) {
  struct Choice {
    NodeRole role;
    const char* label;
  };
  static constexpr Choice kChoices[] = {{NodeRole::cache, "Cache server (joins the ring)"},
                                        {NodeRole::cache_client, "Cache client"},
                                        {NodeRole::token_client, "Token client"},
                                        {NodeRole::token_coordinator, "Lock coordinator"},
                                        {NodeRole::plain, "Plain node"}};
  for (const Choice& c : kChoices) {
    if (ImGui::MenuItem(c.label)) out.emit(AddNode{auto_node_name(view.world, c.role), c.role});
  }
}

void cut_link_menu(const View& view, NodeId node, UiCommands& out) {
  const auto& nodes = view.world.nodes();
  if (!ImGui::BeginMenu("Cut link to")) return;
  const std::string& me = nodes[node].name;
  bool any = false;
  for (NodeId other = 0; other < nodes.size(); ++other) {
    if (other == node || nodes[other].removed) continue;
    any = true;
    const std::string& them = nodes[other].name;
    const bool cut_out = view.world.network().is_cut(node, other);
    const bool cut_in = view.world.network().is_cut(other, node);
    char label[96];
    std::snprintf(label, sizeof label, "%s%s", them.c_str(), cut_out || cut_in ? "  (cut)" : "");
    if (ImGui::BeginMenu(label)) {
      char text[160];
      if (ImGui::MenuItem("Both ways")) out.emit(CutLink{me, them, true});
      std::snprintf(text, sizeof text, "Only %s \xe2\x86\x92 %s", me.c_str(), them.c_str());
      if (ImGui::MenuItem(text, nullptr, cut_out && !cut_in)) out.emit(CutLink{me, them, false});
      std::snprintf(text, sizeof text, "Only %s \xe2\x86\x92 %s", them.c_str(), me.c_str());
      if (ImGui::MenuItem(text, nullptr, cut_in && !cut_out)) out.emit(CutLink{them, me, false});
      ImGui::Separator();
      if (ImGui::MenuItem("Heal this link", nullptr, false, cut_out || cut_in)) out.emit(HealLink{me, them, true});
      ImGui::EndMenu();
    }
  }
  if (!any) ImGui::TextDisabled("no other nodes");
  ImGui::EndMenu();
}

void node_action_items(const View& view, NodeId id, UiCommands& out, std::int64_t& get_key) {
  const Node& node = view.world.nodes()[id];
  if (node.removed) {
    ImGui::TextDisabled("removed from the cluster");
    return;
  }
  if (node.up) {
    if (ImGui::MenuItem("Crash", nullptr, false)) out.emit(CrashNode{node.name});
  } else if (ImGui::MenuItem("Restart")) {
    out.emit(RestartNode{node.name});
  }
  if (!node.paused) {
    if (ImGui::MenuItem("Pause (freeze, like a GC pause)", nullptr, false, node.up)) out.emit(PauseNode{node.name});
  } else if (ImGui::MenuItem("Resume")) {
    out.emit(ResumeNode{node.name});
  }
  if (ImGui::MenuItem("Remove from the cluster")) out.emit(RemoveNode{node.name});
  if (ImGui::BeginMenu("Clock")) {
    for (const ClockFault& f : clock_faults(view.world, id))
      if (ImGui::MenuItem(f.menu, nullptr, false, f.enabled)) out.emit(f.command);
    ImGui::EndMenu();
  }
  if (is_lock_client(node.role)) {
    ImGui::Separator();
    const bool token = node.role == NodeRole::token_client;
    if (ImGui::MenuItem(token ? "Acquire the token" : "Acquire the lock", nullptr, false, node.up)) out.emit(ClientOp{node.name, "acquire", 0});
    if (ImGui::MenuItem("Write to the storage now", nullptr, false, node.up)) out.emit(ClientOp{node.name, "write", 0});
    if (ImGui::MenuItem(token ? "Release the token" : "Release the lock", nullptr, false, node.up)) out.emit(ClientOp{node.name, "release", 0});
  } else if (node.role == NodeRole::cache_client) {
    ImGui::Separator();
    const std::int64_t keys = std::max<std::int64_t>(1, view.world.ring().config.key_count);
    get_key = std::clamp<std::int64_t>(get_key, 0, keys - 1);
    char label[64];
    std::snprintf(label, sizeof label, "Get key-%lld", static_cast<long long>(get_key));
    if (ImGui::MenuItem(label, nullptr, false, node.up)) {
      out.emit(ClientOp{node.name, "get", get_key});
      get_key = (get_key + 1) % keys;
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
    const std::int64_t step = 1;
    ImGui::InputScalar("key##getkey", ImGuiDataType_S64, &get_key, &step, nullptr, "%lld");
  }
  raft_node_action_items(view, id, out);  // time out now, client requests (raft nodes only)
}

const Node* begin_node_popup(const char* popup_id, const World& world, NodeId id) {
  if (!ImGui::BeginPopup(popup_id)) return nullptr;
  if (id >= world.nodes().size()) {
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return nullptr;
  }
  const Node& node = world.nodes()[id];
  ImGui::TextColored(to_vec4(colour::accent), "%s", node.name.c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("%s, %s", role_label(node.role), node_state_name(node));
  ImGui::Separator();
  return &node;
}

void ClusterView::node_menu(const View& view, UiCommands& out) {
  const Node* popup_node = begin_node_popup("node_menu", view.world, menu_node_);
  if (popup_node == nullptr) return;
  const Node& node = *popup_node;
  node_action_items(view, menu_node_, out, get_key_);
  if (!node.removed) {
    ImGui::Separator();
    cut_link_menu(view, menu_node_, out);
    std::vector<NodeId> off = view.selection.nodes;
    if (!view.selection.contains(menu_node_)) off = {menu_node_};
    char label[96];
    if (off.size() == 1) {
      std::snprintf(label, sizeof label, "Partition %s off", view.world.nodes()[off[0]].name.c_str());
    } else {
      std::snprintf(label, sizeof label, "Partition the %zu selected off", off.size());
    }
    auto partition = partition_off_command(view.world, off);
    if (ImGui::MenuItem(label, nullptr, false, partition.has_value())) out.emit(*partition);
  }
  const bool damaged = !view.world.network().cuts().empty() || !view.world.network().groups().empty();
  if (ImGui::MenuItem("Heal the network", nullptr, false, damaged)) out.emit(HealNetwork{});
  ImGui::EndPopup();
}

void ClusterView::link_menu(const View& view, UiCommands& out) {
  if (!ImGui::BeginPopup("link_menu")) return;
  const auto& nodes = view.world.nodes();
  if (link_a_ >= nodes.size() || link_b_ >= nodes.size()) {
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return;
  }
  const std::string& a = nodes[link_a_].name;
  const std::string& b = nodes[link_b_].name;
  const bool ab = view.world.network().is_cut(link_a_, link_b_);
  const bool ba = view.world.network().is_cut(link_b_, link_a_);
  ImGui::TextColored(to_vec4(colour::accent), "link %s \xe2\x86\x94 %s", a.c_str(), b.c_str());
  ImGui::Separator();
  char text[160];
  if (ImGui::MenuItem("Cut both ways", nullptr, ab && ba)) out.emit(CutLink{a, b, true});
  std::snprintf(text, sizeof text, "Cut only %s \xe2\x86\x92 %s", a.c_str(), b.c_str());
  if (ImGui::MenuItem(text, nullptr, ab && !ba)) out.emit(CutLink{a, b, false});
  std::snprintf(text, sizeof text, "Cut only %s \xe2\x86\x92 %s", b.c_str(), a.c_str());
  if (ImGui::MenuItem(text, nullptr, ba && !ab)) out.emit(CutLink{b, a, false});
  ImGui::Separator();
  if (ImGui::MenuItem("Heal", nullptr, false, ab || ba)) out.emit(HealLink{a, b, true});
  ImGui::EndPopup();
}

void ClusterView::background_menu(const View& view, UiCommands& out) {
  if (!ImGui::BeginPopup("cluster_menu")) return;
  if (ImGui::BeginMenu("Add node")) {
    add_node_items(view, out);
    ImGui::EndMenu();
  }
  auto partition = partition_off_command(view.world, view.selection.nodes);
  if (ImGui::MenuItem("Partition the selected nodes off", nullptr, false, partition.has_value())) out.emit(*partition);
  const bool damaged = !view.world.network().cuts().empty() || !view.world.network().groups().empty();
  if (ImGui::MenuItem("Heal the network", nullptr, false, damaged)) out.emit(HealNetwork{});
  if (ImGui::MenuItem("Clear the selection", nullptr, false, !view.selection.nodes.empty())) out.act(ClearSelection{});
  ImGui::EndPopup();
}

void ClusterView::place_flat_labels(const View& view, ImDrawList* dl, const std::vector<NodeId>& order, ImVec2 center, float node_r,
                                    ImVec2 clip_min, ImVec2 clip_max, NodeId hovered_node) {
  // Greedy label placement: important nodes first (hovered, selected, coordinators), each label
  // tries beside its node (left/right half) or above/below it, first with its status line, then
  // name only; a label that fits nowhere keeps its name centred below.
  const auto& nodes = view.world.nodes();
  const float s = view.scale;
  std::vector<NodeId> by_priority = order;
  auto rank = [&](NodeId id) {
    if (id == hovered_node) return 0;
    if (view.selection.contains(id)) return 1;
    if (nodes[id].role == NodeRole::token_coordinator || nodes[id].role == NodeRole::ticket_coordinator ||
        nodes[id].role == NodeRole::coord_service || nodes[id].role == NodeRole::redis || nodes[id].role == NodeRole::storage)
      return 2;
    return 3;
  };
  std::stable_sort(by_priority.begin(), by_priority.end(), [&](NodeId a, NodeId b) { return rank(a) < rank(b); });
  labels_.clear();
  // node discs count as occupied so labels do not cover other nodes
  for (NodeId id : order) labels_.push_back({ImVec2(pos_[id].x - node_r, pos_[id].y - node_r), ImVec2(pos_[id].x + node_r, pos_[id].y + node_r)});
  const std::size_t discs = labels_.size();
  auto overlaps = [&](ImVec2 a, ImVec2 b, NodeId self_index) {
    if (a.x < clip_min.x + 2 || b.x > clip_max.x - 2 || a.y < clip_min.y + 2 || b.y > clip_max.y - 2) return true;
    for (std::size_t i = 0; i < labels_.size(); ++i) {
      if (i < discs && order[i] == self_index) continue;
      const auto& r = labels_[i];
      if (a.x < r.second.x && b.x > r.first.x && a.y < r.second.y && b.y > r.first.y) return true;
    }
    return false;
  };
  for (NodeId id : by_priority) {
    const Node& node = nodes[id];
    const ImVec2 c = pos_[id];
    const ImVec2 dir(c.x - center.x, c.y - center.y);
    const ImVec2 u = mul(dir, 1.0f / std::max(length(dir), 1.0f));
    const bool selected = view.selection.contains(id);
    const ImU32 name_col = !node.up ? colour::crashed_mark : (selected ? colour::select : colour::text);
    const std::string status = node_status(node, view.node_names);
    const ImVec2 name_sz = ImGui::CalcTextSize(node.name.c_str());
    const ImVec2 status_sz = status.empty() ? ImVec2(0, 0) : ImGui::CalcTextSize(status.c_str());
    const float gap = node_r + (node_holds_token(node) ? 8 : 4) * s;
    struct Candidate {
      ImVec2 min;
      bool with_status;
      int align;  // -1 right-aligned (left of node), 0 centred, 1 left-aligned
    };
    Candidate candidates[6];
    int count = 0;
    for (int with_status = status.empty() ? 0 : 1; with_status >= 0; --with_status) {
      const float w = with_status ? std::max(name_sz.x, status_sz.x) : name_sz.x;
      const float h = name_sz.y + (with_status ? status_sz.y : 0.0f);
      if (std::fabs(u.x) > 0.45f) {
        const float x = u.x > 0 ? c.x + gap : c.x - gap - w;
        candidates[count++] = {ImVec2(x, c.y - h * 0.5f), with_status != 0, u.x > 0 ? 1 : -1};
      }
      const bool above = u.y < -0.3f;
      candidates[count++] = {ImVec2(c.x - w * 0.5f, above ? c.y - gap - h : c.y + gap), with_status != 0, 0};
      candidates[count++] = {ImVec2(c.x - w * 0.5f, above ? c.y + gap : c.y - gap - h), with_status != 0, 0};
    }
    Candidate chosen{ImVec2(c.x - name_sz.x * 0.5f, c.y + gap), false, 0};
    for (int i = 0; i < count; ++i) {
      const Candidate& cand = candidates[i];
      const float w = cand.with_status ? std::max(name_sz.x, status_sz.x) : name_sz.x;
      const float h = name_sz.y + (cand.with_status ? status_sz.y : 0.0f);
      if (!overlaps(cand.min, ImVec2(cand.min.x + w, cand.min.y + h), id)) {
        chosen = cand;
        break;
      }
    }
    const float w = chosen.with_status ? std::max(name_sz.x, status_sz.x) : name_sz.x;
    const float h = name_sz.y + (chosen.with_status ? status_sz.y : 0.0f);
    labels_.push_back({chosen.min, ImVec2(chosen.min.x + w, chosen.min.y + h)});
    auto line_x = [&](float line_w) {
      if (chosen.align < 0) return chosen.min.x + w - line_w;
      if (chosen.align > 0) return chosen.min.x;
      return chosen.min.x + (w - line_w) * 0.5f;
    };
    dl->AddText(ImVec2(line_x(name_sz.x), chosen.min.y), name_col, node.name.c_str());
    if (chosen.with_status) dl->AddText(ImVec2(line_x(status_sz.x), chosen.min.y + name_sz.y), colour::text_dim, status.c_str());
  }
}

void ClusterView::draw(const View& view, UiCommands& out) {
  const World& world = view.world;
  const auto& nodes = world.nodes();
  const NetworkState& net = world.network();
  const float s = view.scale;
  const ImGuiIO& io = ImGui::GetIO();

  // --- toolbar ---
  {
    auto partition = partition_off_command(world, view.selection.nodes);
    if (!partition) ImGui::BeginDisabled();
    if (ImGui::Button("Partition selection")) out.emit(*partition);
    if (!partition) ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("Cut the selected nodes off from the rest (ctrl-click nodes to select several)");
    ImGui::SameLine();
    const bool damaged = !net.cuts().empty() || !net.groups().empty();
    if (!damaged) ImGui::BeginDisabled();
    if (ImGui::Button("Heal network")) out.emit(HealNetwork{});
    if (!damaged) ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("+ Node")) ImGui::OpenPopup("add_node_menu");
    if (ImGui::BeginPopup("add_node_menu")) {
      add_node_items(view, out);
      ImGui::EndPopup();
    }
    ImGui::SameLine();
    ImGui::Checkbox("Legend", &show_legend);
  }

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImVec2 size = ImGui::GetContentRegionAvail();
  size.x = std::max(size.x, 50.0f);
  size.y = std::max(size.y, 50.0f);
  ImGui::InvisibleButton("##cluster_canvas", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool canvas_hovered = ImGui::IsItemHovered();
  const bool left_clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  const bool right_clicked = ImGui::IsItemClicked(ImGuiMouseButton_Right);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 end(origin.x + size.x, origin.y + size.y);
  dl->AddRectFilled(origin, end, colour::canvas_bg, 4.0f);
  dl->PushClipRect(origin, end, true);

  // --- layout: visible nodes on a circle, first at the top, clockwise ---
  const std::size_t n = nodes.size();
  pos_.assign(n, ImVec2(0, 0));
  visible_.assign(n, 0);
  std::vector<NodeId> order;
  order.reserve(n);
  for (NodeId id = 0; id < n; ++id) {
    if (!nodes[id].removed) order.push_back(id);
  }
  const std::size_t nv = order.size();
  // The circle sits between the info line at the top and the legend at the bottom.
  const float line_h = ImGui::GetTextLineHeight();
  // The legend gives way when it would take more than a third of a small canvas.
  if (show_legend) scan_sent_payloads(view);
  float legend_h = show_legend ? draw_legend(dl, ImVec2(0, 0), size.x - 12 * s, s, false, view.world, payload_sent_) + 6 * s : 0.0f;
  const bool legend_fits = legend_h < size.y * 0.34f;
  if (!legend_fits) legend_h = 0;
  const float top_h = line_h + 8 * s;
  const ImVec2 area(size.x, std::max(40.0f, size.y - legend_h - top_h));
  const ImVec2 center(origin.x + area.x * 0.5f, origin.y + top_h + area.y * 0.5f);
  float max_name_w = 0;
  for (NodeId id : order) max_name_w = std::max(max_name_w, ImGui::CalcTextSize(nodes[id].name.c_str()).x);
  const float min_side = std::min(area.x, area.y);
  // Labels: centred above (top half) or below each node, with the process status under the
  // name; when the circle gets crowded, names turn radial (status only on hover / selection).
  float max_block_w = max_name_w;
  for (NodeId id : order) max_block_w = std::max(max_block_w, ImGui::CalcTextSize(node_status(nodes[id], view.node_names).c_str()).x);
  max_block_w = std::min(max_block_w, area.x * 0.4f);
  const float flat_radius = std::min(area.x * 0.5f - max_block_w * 0.5f - 6 * s, area.y * 0.5f - 2.0f * line_h - 22 * s);
  const float flat_spacing = nv > 0 ? 2 * kPi * std::max(flat_radius, 10.0f) / static_cast<float>(nv) : 1000;
  const bool radial_labels = nv > 6 && flat_spacing < std::min(max_name_w, 110 * s) * 0.8f;
  float radius = radial_labels ? min_side * 0.5f - std::min(max_name_w, min_side * 0.22f) - 16 * s : flat_radius;
  radius = std::max(radius, min_side * 0.18f);
  const float spacing = nv > 0 ? 2 * kPi * radius / static_cast<float>(nv) : 1000;
  const float node_r = std::clamp(spacing * 0.28f, 4.0f * s, 17.0f * s);
  node_r_ = node_r;
  for (std::size_t i = 0; i < nv; ++i) {
    const float a = -kPi * 0.5f + 2 * kPi * static_cast<float>(i) / static_cast<float>(nv);
    pos_[order[i]] = ImVec2(center.x + std::cos(a) * radius, center.y + std::sin(a) * radius);
    visible_[order[i]] = 1;
  }

  // --- hit testing (before drawing so hover highlights this frame) ---
  const ImVec2 mouse = io.MousePos;
  NodeId hovered_node = kNoNode;
  if (canvas_hovered) {
    float best = (node_r + 4 * s) * (node_r + 4 * s);
    for (NodeId id : order) {
      const ImVec2 d = sub(mouse, pos_[id]);
      const float dsq = d.x * d.x + d.y * d.y;
      if (dsq < best) {
        best = dsq;
        hovered_node = id;
      }
    }
  }
  const bool draw_mesh = nv >= 2 && nv <= 16;
  NodeId link_a = kNoNode, link_b = kNoNode;
  if (canvas_hovered && hovered_node == kNoNode) {
    // Links are clickable where they are drawn: the full mesh for small clusters, cut links always.
    float best = (5 * s) * (5 * s);
    auto consider = [&](NodeId a, NodeId b) {
      const ImVec2 pa = pos_[a], pb = pos_[b];
      const float dsq = distance_sq_to_segment(mouse, pa, pb);
      if (dsq < best) {
        best = dsq;
        link_a = a;
        link_b = b;
      }
    };
    if (draw_mesh) {
      for (std::size_t i = 0; i < nv; ++i) {
        for (std::size_t j = i + 1; j < nv; ++j) consider(order[i], order[j]);
      }
    }
    for (const auto& [a, b] : net.cuts()) {
      if (a < n && b < n && visible_[a] && visible_[b]) consider(a, b);
    }
  }

  // --- partition halos ---
  bool partitioned = false;
  std::uint32_t group_count = 1;
  for (const auto& [id, group] : net.groups()) {
    if (group != 0) partitioned = true;
    group_count = std::max(group_count, group + 1);
  }
  if (partitioned) {
    for (NodeId id : order) {
      const std::uint32_t g = net.group_of(id);
      dl->AddCircleFilled(pos_[id], node_r * 2.0f, with_alpha(group_colour(g), g == 0 ? 40 : 70), 24);
      dl->AddCircle(pos_[id], node_r * 2.0f, with_alpha(group_colour(g), 120), 24, 1.0f);
    }
  }

  // --- links ---
  if (draw_mesh) {
    for (std::size_t i = 0; i < nv; ++i) {
      for (std::size_t j = i + 1; j < nv; ++j) {
        const NodeId a = order[i], b = order[j];
        if (partitioned && net.partitioned(a, b)) {
          add_dashed_line(dl, pos_[a], pos_[b], with_alpha(colour::link_cut, 70), 1.0f, 4 * s, 4 * s);
        } else {
          dl->AddLine(pos_[a], pos_[b], colour::link, 1.0f);
        }
      }
    }
  }
  for (const auto& [a, b] : net.cuts()) {
    if (a >= n || b >= n || !visible_[a] || !visible_[b]) continue;
    const bool both = net.is_cut(b, a);
    if (both && a > b) continue;  // drawn once from the other side
    const ImVec2 d = sub(pos_[b], pos_[a]);
    const float len = length(d);
    if (len < 1) continue;
    const ImVec2 u = mul(d, 1.0f / len);
    const ImVec2 pa = add(pos_[a], mul(u, node_r + 3 * s)), pb = sub(pos_[b], mul(u, node_r + 3 * s));
    add_dashed_line(dl, pa, pb, colour::link_cut, 2.0f * s, 7 * s, 4 * s);
    const ImVec2 mid = mul(add(pa, pb), 0.5f);
    if (both) {
      dl->AddCircleFilled(mid, 7 * s, colour::canvas_bg, 12);
      add_cross(dl, mid, 4.5f * s, colour::link_cut, 2.5f * s);
    } else {
      // one way: an arrow showing the blocked direction and a bar in front of the receiver
      add_arrow_head(dl, add(mid, mul(u, 5 * s)), u, 9 * s, colour::link_cut);
      const ImVec2 nrm(-u.y, u.x);
      dl->AddLine(add(pb, mul(nrm, 6 * s)), sub(pb, mul(nrm, 6 * s)), colour::link_cut, 3.0f * s);
    }
  }
  if (link_a != kNoNode) dl->AddLine(pos_[link_a], pos_[link_b], colour::link_hover, 2.5f * s);

  // --- messages in flight ---
  const SimTimeUs now = world.now_us();
  const auto in_flight = world.messages_in_flight();
  const Message* hovered_msg = nullptr;
  {
    float best = (7 * s) * (7 * s);
    const bool paths = in_flight.size() <= 60;
    const float dot_r = in_flight.size() > 400 ? 2.8f * s : 3.8f * s;
    const int dot_segments = in_flight.size() > 400 ? 6 : 10;
    const float off = 3.5f * s;
    for (int pass = paths ? 0 : 1; pass < 2; ++pass) {
      for (const Message* m : in_flight) {
        if (m->from >= n || m->to >= n || !visible_[m->from] || !visible_[m->to]) continue;
        if (!vertex_room(dl)) break;  // thousands in flight: draw what fits
        const ImVec2 d = sub(pos_[m->to], pos_[m->from]);
        const float len = length(d);
        if (len < 1) continue;
        const ImVec2 u = mul(d, 1.0f / len);
        const ImVec2 perp(-u.y * off, u.x * off);  // keep the two directions of a link apart
        const ImVec2 a = add(add(pos_[m->from], mul(u, node_r + 1)), perp);
        const ImVec2 b = add(sub(pos_[m->to], mul(u, node_r + 2)), perp);
        const ImU32 col = payload_colour(m->payload);
        if (pass == 0) {
          dl->AddLine(a, b, with_alpha(col, 34), 1.0f);
          continue;
        }
        const SimTimeUs span = m->deliver_us - m->sent_us;
        float t = span > 0 ? static_cast<float>(static_cast<double>(now - m->sent_us) / static_cast<double>(span)) : 1.0f;
        t = std::clamp(t, 0.0f, 1.0f);
        const float travel = length(sub(b, a));
        const ImVec2 p = add(a, mul(sub(b, a), t));
        const float tail = std::min(14 * s, travel * t);
        dl->AddLine(sub(p, mul(u, tail)), p, with_alpha(col, 120), 2.0f * s);
        if (m->fate != DropReason::none && t > 0.8f) {
          // Lost or blocked messages fly, then die (core decides the fate at send time and
          // records the drop at arrival): show the death just before it happens.
          add_cross(dl, p, dot_r + 1.5f * s, colour::danger, 2.0f * s);
        } else {
          dl->AddCircleFilled(p, dot_r, col, dot_segments);
        }
        if (m->duplicate_of != 0) dl->AddCircle(p, dot_r + 1.5f * s, colour::select, dot_segments, 1.0f);
        if (canvas_hovered && hovered_node == kNoNode) {
          const ImVec2 dm = sub(mouse, p);
          const float dsq = dm.x * dm.x + dm.y * dm.y;
          if (dsq < best) {
            best = dsq;
            hovered_msg = m;
          }
        }
      }
    }
    if (hovered_msg) {
      // re-find its position for the highlight ring
      const ImVec2 d = sub(pos_[hovered_msg->to], pos_[hovered_msg->from]);
      const float len = std::max(length(d), 1.0f);
      const ImVec2 u = mul(d, 1.0f / len);
      const ImVec2 perp(-u.y * off, u.x * off);
      const ImVec2 a = add(add(pos_[hovered_msg->from], mul(u, node_r + 1)), perp);
      const ImVec2 b = add(sub(pos_[hovered_msg->to], mul(u, node_r + 2)), perp);
      const SimTimeUs span = hovered_msg->deliver_us - hovered_msg->sent_us;
      float t = span > 0 ? static_cast<float>(static_cast<double>(now - hovered_msg->sent_us) / static_cast<double>(span)) : 1.0f;
      t = std::clamp(t, 0.0f, 1.0f);
      const ImVec2 p = add(a, mul(sub(b, a), t));
      dl->AddLine(a, b, with_alpha(payload_colour(hovered_msg->payload), 150), 1.5f);
      dl->AddCircle(p, 7 * s, colour::select, 16, 2.0f);
    }
  }

  // --- nodes ---
  const NodeId primary = view.selection.primary();
  for (NodeId id : order) {
    const Node& node = nodes[id];
    const ImVec2 c = pos_[id];
    const bool selected = view.selection.contains(id);
    const NodeActivity activity = node_activity(node);
    const ImU32 fill = !node.up ? colour::crashed_fill : node.paused ? colour::paused : activity_colour(activity);
    if (selected) {
      dl->AddCircleFilled(c, node_r + 9 * s, with_alpha(colour::accent, id == primary ? 70 : 45), 28);
      dl->AddCircle(c, node_r + 9 * s, with_alpha(colour::accent, 200), 28, 1.5f * s);
    }
    if (node_holds_token(node) && node.up) {
      dl->AddCircle(c, node_r + 5 * s, colour::token_gold, 24, 2.5f * s);
    }
    add_node_shape(dl, c, node_r, node.role, fill);
    const std::uint32_t member = id < view.ring_member_of_node.size() ? view.ring_member_of_node[id] : kNoMember;
    if (member != kNoMember) {
      add_node_outline(dl, c, node_r, node.role, member_colour(member), 2.5f * s);
    } else {
      add_node_outline(dl, c, node_r, node.role, with_alpha(colour::select, hovered_node == id ? 200 : 40), 1.5f * s);
    }
    if (!node.up) add_cross(dl, c, node_r * 0.55f, colour::crashed_mark, std::max(2.0f, node_r * 0.2f));
    if (node.up && node.paused) {
      add_stripes_in_circle(dl, c, node_r * 0.8f, IM_COL32(80, 84, 92, 255), 4 * s);
      add_pause_glyph(dl, c, node_r * 0.45f, colour::text);
    }
    if (hovered_node == id) add_node_outline(dl, c, node_r + 2 * s, node.role, colour::select, 1.5f * s);
    draw_raft_node_overlay(dl, view, id, c, node_r);  // raft servers and lock clients only

    if (radial_labels) {
      const ImVec2 dir(c.x - center.x, c.y - center.y);
      const ImVec2 u = mul(dir, 1.0f / std::max(length(dir), 1.0f));
      const ImU32 name_col = !node.up ? colour::crashed_mark : (selected ? colour::select : colour::text);
      const float angle = std::atan2(u.y, u.x);
      const ImVec2 anchor = add(c, mul(u, node_r + 5 * s));
      if (u.x >= -0.001f) {
        add_text_rotated(dl, anchor, angle, node.name.c_str(), name_col, false);
      } else {
        add_text_rotated(dl, anchor, angle + kPi, node.name.c_str(), name_col, true);
      }
    }
  }
  if (!radial_labels) place_flat_labels(view, dl, order, center, node_r, origin, ImVec2(end.x, end.y - legend_h), hovered_node);

  // --- overlays: counts, banners, legend ---
  {
    ImVec2 cursor(origin.x + 8 * s, origin.y + 6 * s);
    char text[128];
    std::snprintf(text, sizeof text, "%zu nodes \xc2\xb7 %zu message%s in flight", nv, in_flight.size(), in_flight.size() == 1 ? "" : "s");
    dl->AddText(cursor, colour::text_dim, text);
    cursor.y += line_h + 4 * s;
    if (partitioned) {
      std::snprintf(text, sizeof text, "PARTITIONED into %u groups", group_count);
      add_pill(dl, cursor, text, colour::danger_bg, colour::text);
    }
    if (!net.cuts().empty()) {
      std::snprintf(text, sizeof text, "%zu one-way link cut%s", net.cuts().size(), net.cuts().size() == 1 ? "" : "s");
      add_pill(dl, cursor, text, colour::danger_bg, colour::text);
    }
    if (nv == 0) {
      const char* hint = "No nodes. Right-click to add one.";
      const ImVec2 ts = ImGui::CalcTextSize(hint);
      dl->AddText(ImVec2(center.x - ts.x * 0.5f, center.y - ts.y * 0.5f), colour::text_dim, hint);
    }
    if (show_legend && legend_fits)
      draw_legend(dl, ImVec2(origin.x + 6 * s, end.y - 6 * s), size.x - 12 * s, s, true, view.world, payload_sent_);
  }
  dl->PopClipRect();

  // --- tooltips ---
  if (hovered_node != kNoNode) {
    const Node& node = nodes[hovered_node];
    ImGui::BeginTooltip();
    ImGui::TextColored(to_vec4(colour::accent), "%s", node.name.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("%s", role_label(node.role));
    ImGui::Text("%s, %s", node_state_name(node), activity_name(node_activity(node)));
    const std::string status = node_status(node, view.node_names);
    if (!status.empty()) ImGui::TextUnformatted(status.c_str());
    ImGui::TextDisabled("click: select \xc2\xb7 ctrl-click: add to selection \xc2\xb7 right-click: actions");
    ImGui::EndTooltip();
  } else if (hovered_msg) {
    ImGui::BeginTooltip();
    ImGui::TextColored(to_vec4(payload_colour(hovered_msg->payload)), "%s", payload_name(hovered_msg->payload));
    ImGui::SameLine();
    ImGui::TextUnformatted(payload_detail(hovered_msg->payload).c_str());
    ImGui::Text("%s \xe2\x86\x92 %s   msg %llu%s", view.name_of(hovered_msg->from), view.name_of(hovered_msg->to),
                static_cast<unsigned long long>(hovered_msg->id), hovered_msg->duplicate_of ? " (duplicate)" : "");
    ImGui::TextDisabled("sent at %s, arrives at %s", format_duration(hovered_msg->sent_us).c_str(),
                        format_duration(hovered_msg->deliver_us).c_str());
    ImGui::EndTooltip();
  } else if (link_a != kNoNode) {
    ImGui::SetTooltip("link %s \xe2\x86\x94 %s: click to cut or heal", view.name_of(link_a), view.name_of(link_b));
  }

  // --- clicks ---
  if (left_clicked) {
    if (hovered_node != kNoNode) {
      out.act(SelectNode{hovered_node, io.KeyCtrl || io.KeySuper ? SelectMode::toggle : SelectMode::replace});
    } else if (link_a != kNoNode) {
      link_a_ = link_a;
      link_b_ = link_b;
      ImGui::OpenPopup("link_menu");
    } else if (!io.KeyCtrl) {
      out.act(ClearSelection{});
    }
  }
  if (right_clicked) {
    if (hovered_node != kNoNode) {
      menu_node_ = hovered_node;
      ImGui::OpenPopup("node_menu");
    } else if (link_a != kNoNode) {
      link_a_ = link_a;
      link_b_ = link_b;
      ImGui::OpenPopup("link_menu");
    } else {
      ImGui::OpenPopup("cluster_menu");
    }
  }
  node_menu(view, out);
  link_menu(view, out);
  background_menu(view, out);
}

}  // namespace dsplay::ui
