// The hash-ring view (see ring_view.hpp). Everything is batched straight into the draw list: the
// ring band and the point ticks are drawn per angular bin (a few per pixel of circumference), so
// 50 members x 160 points cost the same as 4 x 10, and the vertex count stays far below the
// 64k a 16-bit-index draw list can address (WebGL2 has no vertex offsets).
#include "ui/ring_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "ui/theme.hpp"
#include "ui/world_helpers.hpp"

namespace dsplay::ui {

namespace {
constexpr float kPi = 3.14159265358979f;
constexpr double kRingSize = 4294967296.0;  // 2^32

float angle_of(std::uint32_t position) {
  return -kPi * 0.5f + static_cast<float>(static_cast<double>(position) / kRingSize * 2.0 * kPi);
}

// Writes a quad straight into the draw list (caller reserved 6 indices + 4 vertices).
// (PrimRect-style, without anti-aliasing: adjacent bins share exact edges, so there are no seams.)
inline void quad(ImDrawList* dl, ImVec2 a, ImVec2 b, ImVec2 c, ImVec2 d, ImU32 col) {
  const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
  dl->PrimQuadUV(a, b, c, d, uv, uv, uv, uv, col);
}

NodeId node_of_member(const View& view, std::uint32_t member) {
  for (NodeId id = 0; id < view.ring_member_of_node.size(); ++id) {
    if (view.ring_member_of_node[id] == member) return id;
  }
  return kNoNode;
}
}  // namespace

void RingView::controls(const View& view, UiCommands& out, NodeId selected_member_node) {
  const World& world = view.world;
  const RingModule& ring = world.ring();
  if (ImGui::Button("+ Cache node")) out.emit(AddNode{auto_node_name(world, NodeRole::cache), NodeRole::cache});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("A new cache server joins the ring: watch which keys move to it");
  ImGui::SameLine();
  const bool have = selected_member_node != kNoNode;
  const Node* sel = have ? &world.nodes()[selected_member_node] : nullptr;
  if (have && !sel->up && !sel->removed) {
    // a failed member: offer to bring it back and watch its keys return
    if (ImGui::Button("Restart")) out.emit(RestartNode{sel->name});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Restart the selected cache server: its keys come back to it (cold)");
  } else {
    if (!have) ImGui::BeginDisabled();
    if (ImGui::Button("Fail")) out.emit(CrashNode{sel->name});
    if (!have) ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip(have ? "Crash the selected cache server: its keys fail over to the next point clockwise"
                             : "Select a cache server first (click it here or in the cluster)");
  }
  ImGui::SameLine();
  if (!have) ImGui::BeginDisabled();
  if (ImGui::Button("Remove")) out.emit(RemoveNode{sel->name});
  if (!have) ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(have ? "The selected cache server leaves the ring for good" : "Select a cache server first");
  // the algorithm switch stays on this row if it fits, else wraps as a group
  const ImGuiStyle& style = ImGui::GetStyle();
  const float radio_w = 2 * (ImGui::GetFrameHeight() + style.ItemInnerSpacing.x) + ImGui::CalcTextSize("ring").x +
                        ImGui::CalcTextSize("mod N").x + ImGui::CalcTextSize("|").x + 3 * style.ItemSpacing.x;
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < radio_w) {
    ImGui::NewLine();
  } else {
    ImGui::TextDisabled("|");
    ImGui::SameLine();
  }
  int algo = static_cast<int>(ring.config.algo);
  if (ImGui::RadioButton("ring", algo == static_cast<int>(RingAlgo::ring)) && algo != 0) out.emit(SetParam{"ring.algo", 0});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Consistent hashing: a key belongs to the next point clockwise");
  ImGui::SameLine();
  if (ImGui::RadioButton("mod N", algo == static_cast<int>(RingAlgo::mod)) && algo != 1) out.emit(SetParam{"ring.algo", 1});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Modulo hashing: owner = hash(key) mod N. Add a node and see how many keys move");

  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < 170 * view.scale) ImGui::NewLine();
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 230 * view.scale));
  // The slider shows the world's value except while the user drags it.
  if (!points_dragging_) points_edit_ = static_cast<int>(ring.config.points_per_node);
  const bool is_ring = ring.config.algo == RingAlgo::ring;
  if (!is_ring) ImGui::BeginDisabled();
  ImGui::SliderInt("##points", &points_edit_, 1, 1000, "%d points/node", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  if (!is_ring) ImGui::EndDisabled();
  points_dragging_ = ImGui::IsItemActive();
  if (ImGui::IsItemDeactivatedAfterEdit() && points_edit_ != static_cast<int>(ring.config.points_per_node))
    out.emit(SetParam{"ring.points_per_node", points_edit_});
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Virtual points per member: more points, more even load (ctrl-click to type)");
}

void RingView::draw(const View& view, UiCommands& out) {
  geometry_.valid = false;
  const World& world = view.world;
  const RingModule& ring = world.ring();
  const auto& members = ring.members();
  const auto& alive = ring.alive();
  const float s = view.scale;
  const ImGuiIO& io = ImGui::GetIO();

  // The selected node, if it is a ring member.
  NodeId selected_member_node = kNoNode;
  std::uint32_t selected_member = kNoMember;
  for (auto it = view.selection.nodes.rbegin(); it != view.selection.nodes.rend(); ++it) {
    if (*it < view.ring_member_of_node.size() && view.ring_member_of_node[*it] != kNoMember) {
      selected_member_node = *it;
      selected_member = view.ring_member_of_node[*it];
      break;
    }
  }

  controls(view, out, selected_member_node);

  const RemapReport& remap = ring.last_remap();

  // --- canvas: ring on top, load bars below ---
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImVec2 size = ImGui::GetContentRegionAvail();
  size.x = std::max(size.x, 60.0f);
  size.y = std::max(size.y, 60.0f);
  ImGui::InvisibleButton("##ring_canvas", size);
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 end(origin.x + size.x, origin.y + size.y);
  dl->AddRectFilled(origin, end, colour::canvas_bg, 4.0f);
  dl->PushClipRect(origin, end, true);

  const float line_h = ImGui::GetTextLineHeight();
  const float bars_h = members.empty() ? 0.0f : std::clamp(size.y * 0.16f, 36 * s, 72 * s);
  const float top_h = line_h + 6 * s;  // the remap line
  const float ring_area_h = size.y - top_h - bars_h - (members.empty() ? 0 : line_h + 8 * s);
  const ImVec2 center(origin.x + size.x * 0.5f, origin.y + top_h + ring_area_h * 0.5f);
  const float radius = std::max(20.0f, std::min(size.x, ring_area_h) * 0.5f - 10 * s);
  const float band_w = std::clamp(radius * 0.07f, 5 * s, 12 * s);
  const float r_in = radius - band_w, r_out = radius;
  geometry_ = Geometry{true, center, r_in, r_out};
  const bool is_ring = ring.config.algo == RingAlgo::ring;

  // --- the band: owner per angular bin ---
  const int bins = std::clamp(static_cast<int>(2 * kPi * radius / 1.5f), 180, 1440);
  bin_owner_.assign(static_cast<std::size_t>(bins), kNoMember);
  bin_tick_.assign(static_cast<std::size_t>(bins), kNoMember);
  const auto& points = ring.ring().points();
  // Member colours once per frame (HSV conversion is not free at 10k calls).
  colours_.resize(members.size());
  for (std::uint32_t m = 0; m < members.size(); ++m) colours_[m] = member_colour(m);
  if (is_ring && !points.empty()) {
    // Owner of each bin's middle position: the first live point at or after it, wrapping. One
    // linear merge over the sorted points (same rule as HashRing::lookup, without a search per bin).
    const std::size_t np = points.size();
    next_alive_.assign(np, kNoMember);
    std::uint32_t next = kNoMember;
    for (int pass = 0; pass < 2; ++pass) {
      for (std::size_t j = np; j-- > 0;) {
        const std::uint32_t m = points[j].member;
        if (m < alive.size() && alive[m]) next = static_cast<std::uint32_t>(j);
        if (pass == 1) next_alive_[j] = next;
      }
    }
    std::size_t j = 0;
    for (int i = 0; i < bins; ++i) {
      const auto position = static_cast<std::uint32_t>((static_cast<double>(i) + 0.5) / bins * kRingSize);
      while (j < np && points[j].position < position) ++j;
      const std::uint32_t k = next_alive_[j < np ? j : 0];
      bin_owner_[static_cast<std::size_t>(i)] = k == kNoMember ? kNoMember : points[k].member;
    }
    for (const auto& p : points) {
      const auto bin = static_cast<std::size_t>(static_cast<double>(p.position) / kRingSize * bins);
      bin_tick_[std::min(bin, static_cast<std::size_t>(bins - 1))] = p.member;
    }
  }
  {
    dl->PrimReserve(bins * 6, bins * 4);
    for (int i = 0; i < bins; ++i) {
      const float a0 = -kPi * 0.5f + 2 * kPi * static_cast<float>(i) / static_cast<float>(bins);
      const float a1 = -kPi * 0.5f + 2 * kPi * static_cast<float>(i + 1) / static_cast<float>(bins);
      const float c0 = std::cos(a0), s0 = std::sin(a0), c1 = std::cos(a1), s1 = std::sin(a1);
      const std::uint32_t owner = bin_owner_[static_cast<std::size_t>(i)];
      ImU32 col = owner == kNoMember ? IM_COL32(60, 66, 80, 255) : lerp_colour(colours_[owner], colour::canvas_bg, 0.12f);
      if (selected_member != kNoMember && owner != selected_member) col = lerp_colour(col, colour::canvas_bg, 0.55f);
      quad(dl, ImVec2(center.x + c0 * r_in, center.y + s0 * r_in), ImVec2(center.x + c0 * r_out, center.y + s0 * r_out),
           ImVec2(center.x + c1 * r_out, center.y + s1 * r_out), ImVec2(center.x + c1 * r_in, center.y + s1 * r_in), col);
    }
  }
  // --- virtual points as ticks outside the band (exact when sparse, binned when dense) ---
  if (is_ring && !points.empty()) {
    const float t_in = r_out + 1.5f * s, t_out = r_out + 6.5f * s;
    const bool exact = points.size() <= static_cast<std::size_t>(bins / 3);
    const std::size_t count = exact ? points.size() : static_cast<std::size_t>(bins);
    dl->PrimReserve(static_cast<int>(count) * 6, static_cast<int>(count) * 4);
    const float half_w = (exact ? 0.9f : 0.6f) * s;
    int drawn = 0;
    for (std::size_t i = 0; i < count; ++i) {
      std::uint32_t member;
      float a;
      if (exact) {
        member = points[i].member;
        a = angle_of(points[i].position);
      } else {
        member = bin_tick_[i];
        if (member == kNoMember) continue;
        a = -kPi * 0.5f + 2 * kPi * (static_cast<float>(i) + 0.5f) / static_cast<float>(bins);
      }
      const bool dead = member < alive.size() && !alive[member];
      ImU32 col = dead ? IM_COL32(90, 90, 100, 255) : colours_[member];
      if (selected_member != kNoMember && member != selected_member) col = lerp_colour(col, colour::canvas_bg, 0.6f);
      const float c = std::cos(a), sn = std::sin(a);
      const ImVec2 n(-sn * half_w, c * half_w);
      const float extra = member == selected_member ? 4 * s : 0.0f;
      const ImVec2 p0(center.x + c * t_in, center.y + sn * t_in), p1(center.x + c * (t_out + extra), center.y + sn * (t_out + extra));
      quad(dl, ImVec2(p0.x - n.x, p0.y - n.y), ImVec2(p1.x - n.x, p1.y - n.y), ImVec2(p1.x + n.x, p1.y + n.y), ImVec2(p0.x + n.x, p0.y + n.y), col);
      ++drawn;
    }
    // give back what we reserved but did not use
    dl->PrimUnreserve((static_cast<int>(count) - drawn) * 6, (static_cast<int>(count) - drawn) * 4);
  }

  // --- sample keys as dots inside the band, in 3 rows so they do not hide each other ---
  const auto& key_pos = ring.key_positions();
  const auto& key_owner = ring.key_owner();
  const auto& key_moved = ring.key_moved();
  const std::size_t keys = members.empty() ? 0 : std::min(key_pos.size(), key_owner.size());
  const std::size_t stride = std::max<std::size_t>(1, keys / 2500);  // at most ~2500 dots (see kBulkVertexBudget)
  std::size_t moved_count = 0;
  {
    const float dot = std::max(1.2f, 1.6f * s);
    const std::size_t drawn = (keys + stride - 1) / stride;
    dl->PrimReserve(static_cast<int>(drawn) * 12, static_cast<int>(drawn) * 8);
    int used = 0;
    for (std::size_t k = 0; k < keys; k += stride) {
      const float a = angle_of(key_pos[k]);
      const float r = r_in - 4.5f * s - static_cast<float>(k % 3) * 4.0f * s;
      const ImVec2 p(center.x + std::cos(a) * r, center.y + std::sin(a) * r);
      const std::uint32_t owner = key_owner[k];
      const bool moved = k < key_moved.size() && key_moved[k];
      ImU32 col = owner >= colours_.size() ? colour::danger : colours_[owner];
      if (selected_member != kNoMember && owner != selected_member) col = lerp_colour(col, colour::canvas_bg, 0.7f);
      if (moved) {
        ++moved_count;
        const float h = dot + 1.2f * s;
        quad(dl, ImVec2(p.x - h, p.y - h), ImVec2(p.x + h, p.y - h), ImVec2(p.x + h, p.y + h), ImVec2(p.x - h, p.y + h), colour::select);
        ++used;
      }
      quad(dl, ImVec2(p.x - dot, p.y - dot), ImVec2(p.x + dot, p.y - dot), ImVec2(p.x + dot, p.y + dot), ImVec2(p.x - dot, p.y + dot), col);
      ++used;
    }
    const int unused = static_cast<int>(drawn) * 2 - used;
    dl->PrimUnreserve(unused * 6, unused * 4);
  }

  // --- the last remap, top left: how many keys moved against the ideal ---
  {
    ImVec2 at(origin.x + 8 * s, origin.y + 6 * s);
    if (remap.change.empty()) {
      dl->AddText(at, colour::text_faint, "add or remove a cache node to see keys move");
    } else {
      const double ratio = remap.ideal_fraction > 0 ? remap.moved_fraction / remap.ideal_fraction : 0.0;
      const ImU32 col = remap.ideal_fraction <= 0 ? colour::text : ratio <= 1.6 ? colour::ok : ratio <= 2.5 ? colour::warning : colour::danger;
      char text[160];
      std::snprintf(text, sizeof text, "%s: ", remap.change.c_str());
      dl->AddText(at, colour::text, text);
      at.x += ImGui::CalcTextSize(text).x;
      std::snprintf(text, sizeof text, "moved %.1f%%", remap.moved_fraction * 100.0);
      dl->AddText(at, col, text);
      at.x += ImGui::CalcTextSize(text).x;
      if (remap.ideal_fraction > 0) {
        std::snprintf(text, sizeof text, " of keys (ideal %.1f%%) \xc2\xb7 %llu of %llu", remap.ideal_fraction * 100.0,
                      static_cast<unsigned long long>(remap.moved), static_cast<unsigned long long>(remap.keys));
      } else {
        std::snprintf(text, sizeof text, " of keys \xc2\xb7 %llu of %llu", static_cast<unsigned long long>(remap.moved),
                      static_cast<unsigned long long>(remap.keys));
      }
      dl->AddText(at, colour::text_dim, text);
    }
  }

  // --- centre text ---
  {
    char line1[96], line2[96], line3[96];
    std::snprintf(line1, sizeof line1, "%s", is_ring ? "consistent hashing" : "modulo hashing");
    std::uint32_t alive_count = 0;
    for (auto a : alive) alive_count += a ? 1 : 0;
    if (is_ring) {
      std::snprintf(line2, sizeof line2, "%zu members \xc2\xb7 %u points each", members.size(), ring.config.points_per_node);
    } else {
      std::snprintf(line2, sizeof line2, "owner = hash mod %u", alive_count);
    }
    std::snprintf(line3, sizeof line3, "%zu keys%s", members.empty() ? key_pos.size() : keys, stride > 1 ? " (some shown)" : "");
    const char* lines[] = {line1, line2, line3};
    float y = center.y - line_h * 1.5f;
    for (int i = 0; i < 3; ++i) {
      const ImVec2 ts = ImGui::CalcTextSize(lines[i]);
      if (ts.x < r_in * 1.8f) dl->AddText(ImVec2(center.x - ts.x * 0.5f, y), i == 0 ? colour::text : colour::text_dim, lines[i]);
      y += line_h;
    }
    if (moved_count > 0 && !remap.change.empty()) {
      char moved_text[64];
      std::snprintf(moved_text, sizeof moved_text, "\xe2\x96\xa1 moved by \"%s\"", remap.change.c_str());
      const ImVec2 ts = ImGui::CalcTextSize(moved_text);
      if (ts.x < r_in * 1.8f) dl->AddText(ImVec2(center.x - ts.x * 0.5f, y + 2 * s), colour::select, moved_text);
    }
    if (members.empty()) {
      const char* hint = "No cache servers here yet:\npress \"+ Cache node\"\nto put one on the ring.";
      const ImVec2 ts = ImGui::CalcTextSize(hint);
      dl->AddText(ImVec2(center.x - ts.x * 0.5f, center.y + line_h * 2.0f), colour::text_dim, hint);
    }
  }

  // --- hover on the ring: who owns this arc ---
  std::uint32_t hover_member = kNoMember;
  const ImVec2 mouse = io.MousePos;
  if (hovered) {
    const float dx = mouse.x - center.x, dy = mouse.y - center.y;
    const float dist = std::sqrt(dx * dx + dy * dy);
    if (!members.empty() && dist > r_in - 24 * s && dist < r_out + 10 * s) {
      float a = std::atan2(dy, dx) + kPi * 0.5f;
      if (a < 0) a += 2 * kPi;
      const auto position = static_cast<std::uint32_t>(std::min(a / (2 * kPi), 0.9999999f) * kRingSize);
      if (is_ring) {
        hover_member = ring.ring().lookup(position, &alive);
        ImGui::BeginTooltip();
        ImGui::Text("position %u (%.1f%% around)", position, a / (2 * kPi) * 100.0f);
        if (hover_member != kNoMember && hover_member < members.size()) {
          ImGui::TextColored(to_vec4(member_colour(hover_member)), "owned by %s", members[hover_member].c_str());
          ImGui::TextDisabled("(the first live point clockwise) \xc2\xb7 click to select");
        }
        ImGui::EndTooltip();
      } else {
        ImGui::SetTooltip("Modulo hashing ignores ring positions: the dots are coloured by hash mod N");
      }
    }
  }

  // --- per-member load bars ---
  std::uint32_t hover_bar = kNoMember;
  if (!members.empty()) {
    const std::vector<std::uint64_t> load = ring.keys_per_member();
    std::uint64_t max_load = 1, total = 0;
    std::uint32_t alive_count = 0;
    for (std::size_t m = 0; m < load.size(); ++m) {
      max_load = std::max(max_load, load[m]);
      if (m < alive.size() && alive[m]) {
        total += load[m];
        ++alive_count;
      }
    }
    const double mean = alive_count ? static_cast<double>(total) / alive_count : 0.0;
    const float top = origin.y + size.y - bars_h - line_h - 4 * s;
    char stats[160];
    std::snprintf(stats, sizeof stats, "keys per member   max/mean %.2f   stddev/mean %.2f", ring.load_max_over_mean(), ring.load_stddev_over_mean());
    dl->AddText(ImVec2(origin.x + 8 * s, top), colour::text_dim, stats);
    const float x0 = origin.x + 8 * s, x1 = end.x - 8 * s;
    const float y1 = end.y - 6 * s, y0 = y1 - bars_h + 10 * s;
    const float slot = (x1 - x0) / static_cast<float>(load.size());
    const float gap = slot > 6 * s ? std::min(3 * s, slot * 0.2f) : 0.0f;
    for (std::size_t m = 0; m < load.size(); ++m) {
      const float bx0 = x0 + slot * static_cast<float>(m), bx1 = bx0 + slot - gap;
      const float h = (y1 - y0) * static_cast<float>(static_cast<double>(load[m]) / static_cast<double>(max_load));
      const bool dead = m < alive.size() && !alive[m];
      ImU32 col = dead ? IM_COL32(80, 80, 90, 255) : colours_[m];
      if (selected_member != kNoMember && m != selected_member) col = lerp_colour(col, colour::canvas_bg, 0.5f);
      dl->AddRectFilled(ImVec2(bx0, y1 - std::max(h, 1.0f)), ImVec2(bx1, y1), col, slot > 8 * s ? 2.0f : 0.0f);
      if (hovered && mouse.x >= bx0 && mouse.x < bx0 + slot && mouse.y >= y0 - 4 * s && mouse.y <= y1) hover_bar = static_cast<std::uint32_t>(m);
    }
    if (mean > 0) {
      const float my = y1 - (y1 - y0) * static_cast<float>(mean / static_cast<double>(max_load));
      add_dashed_line(dl, ImVec2(x0, my), ImVec2(x1, my), with_alpha(colour::select, 150), 1.0f, 4 * s, 3 * s);
    }
    if (hover_bar != kNoMember) {
      ImGui::BeginTooltip();
      ImGui::TextColored(to_vec4(member_colour(hover_bar)), "%s", members[hover_bar].c_str());
      ImGui::Text("%llu keys (mean %.1f)%s", static_cast<unsigned long long>(load[hover_bar]), mean,
                  hover_bar < alive.size() && !alive[hover_bar] ? ", down: its keys fail over" : "");
      ImGui::TextDisabled("click to select");
      ImGui::EndTooltip();
    }
  }
  dl->PopClipRect();

  if (clicked) {
    const std::uint32_t m = hover_bar != kNoMember ? hover_bar : hover_member;
    if (m != kNoMember) {
      const NodeId id = node_of_member(view, m);
      if (id != kNoNode) out.act(SelectNode{id, io.KeyCtrl ? SelectMode::toggle : SelectMode::replace});
    } else if (!io.KeyCtrl) {
      out.act(ClearSelection{});
    }
  }
}

}  // namespace dsplay::ui
