// The placement view of the hash balancers (see placement_view.hpp). Batched into the draw list:
// the ring band and the Maglev strip are drawn per pixel bin, keys as small quads (at most ~4000).
#include "ui/placement_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "ui/balancer_panel.hpp"
#include "ui/theme.hpp"

namespace dsplay::ui {

namespace {

using balance::kNoServer;
using balance::LoadBalancerSim;

constexpr float kPi = 3.14159265358979f;
constexpr double kRingSize = 4294967296.0;

inline void quad(ImDrawList* dl, ImVec2 a, ImVec2 b, ImVec2 c, ImVec2 d, ImU32 col) {
  const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
  dl->PrimQuadUV(a, b, c, d, uv, uv, uv, uv, col);
}
inline void square(ImDrawList* dl, ImVec2 p, float h, ImU32 col) {
  quad(dl, ImVec2(p.x - h, p.y - h), ImVec2(p.x + h, p.y - h), ImVec2(p.x + h, p.y + h), ImVec2(p.x - h, p.y + h), col);
}

float angle_of(std::uint32_t position) {
  return -kPi * 0.5f + static_cast<float>(static_cast<double>(position) / kRingSize * 2.0 * kPi);
}

ImU32 owner_colour(std::uint32_t server) { return server == kNoServer ? IM_COL32(70, 74, 86, 255) : lb_server_colour(server); }

}  // namespace

void PlacementView::draw(const View& view, const LoadBalancerSim& sim, UiCommands& out) {
  (void)out;
  const balance::LbPlacement* p = sim.placement();
  const float s = view.scale;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImVec2 size = ImGui::GetContentRegionAvail();
  size.x = std::max(size.x, 100.0f);
  size.y = std::max(size.y, 100.0f);
  ImGui::Dummy(size);
  const ImVec2 end(o.x + size.x, o.y + size.y);
  dl->AddRectFilled(o, end, colour::canvas_bg, 4.0f);
  if (p == nullptr) {
    dl->AddText(ImVec2(o.x + 8 * s, o.y + 8 * s), colour::text_dim, "This balancer does not route by key.");
    return;
  }
  dl->PushClipRect(o, end, true);
  const float line_h = ImGui::GetTextLineHeight();

  // --- the last change, top left ---
  {
    ImVec2 at(o.x + 8 * s, o.y + 6 * s);
    const balance::LbRemap& r = p->remap;
    if (r.change.empty()) {
      dl->AddText(at, colour::text_faint, "kill, add or remove a server to see which keys move");
    } else {
      char text[200];
      std::snprintf(text, sizeof text, "%s: ", r.change.c_str());
      dl->AddText(at, colour::text, text);
      at.x += ImGui::CalcTextSize(text).x;
      const double moved = r.keys ? static_cast<double>(r.moved) / static_cast<double>(r.keys) : 0.0;
      const double ideal = r.ideal_den ? static_cast<double>(r.ideal_num) / r.ideal_den : 0.0;
      const double ratio = ideal > 0 ? moved / ideal : 0.0;
      const ImU32 col = ideal <= 0 ? colour::text : ratio <= 1.6 ? colour::ok : ratio <= 2.5 ? colour::warning : colour::danger;
      std::snprintf(text, sizeof text, "moved %.1f%% of the keys", moved * 100);
      dl->AddText(at, col, text);
      at.x += ImGui::CalcTextSize(text).x;
      if (ideal > 0) std::snprintf(text, sizeof text, " (ideal %.1f%%)", ideal * 100);
      else std::snprintf(text, sizeof text, " (%llu of %llu)", static_cast<unsigned long long>(r.moved), static_cast<unsigned long long>(r.keys));
      dl->AddText(at, colour::text_dim, text);
      if (ideal > 0) {
        std::snprintf(text, sizeof text, "%llu of %llu moved; %llu between surviving servers",
                      static_cast<unsigned long long>(r.moved), static_cast<unsigned long long>(r.keys),
                      static_cast<unsigned long long>(r.moved_elsewhere));
        dl->AddText(ImVec2(o.x + 8 * s, at.y + line_h), r.moved_elsewhere ? colour::warning : colour::text_dim, text);
      }
    }
  }

  // --- keys per server, bottom ---
  const float bars_h = std::clamp(size.y * 0.15f, 34 * s, 70 * s);
  const auto& servers = sim.servers();
  {
    std::vector<std::uint64_t> counts(servers.size(), 0);
    for (auto owner : p->key_owner)
      if (owner < counts.size()) ++counts[owner];
    std::vector<std::uint64_t> live;
    std::uint64_t top = 1;
    for (std::uint32_t i = 0; i < servers.size(); ++i) {
      if (servers[i].removed) continue;
      top = std::max(top, counts[i]);
      if (servers[i].in_rotation) live.push_back(counts[i]);
    }
    const balance::LbImbalance imb = balance::lb_imbalance(live);
    char text[160];
    std::snprintf(text, sizeof text, "keys per server%s   max/mean %.2f   stddev/mean %.2f",
                  p->algo == balance::LbAlgo::bounded_load ? " (home server)" : "", imb.max_over_mean,
                  imb.stddev_over_mean);
    const float ty = end.y - bars_h - line_h - 4 * s;
    dl->AddText(ImVec2(o.x + 8 * s, ty), colour::text_dim, text);
    std::vector<std::uint32_t> shown;
    for (std::uint32_t i = 0; i < servers.size(); ++i)
      if (!servers[i].removed) shown.push_back(i);
    const float x0 = o.x + 8 * s, x1 = end.x - 8 * s, y1 = end.y - 6 * s - line_h, y0 = y1 - bars_h + line_h + 8 * s;
    const float slot = (x1 - x0) / static_cast<float>(std::max<std::size_t>(shown.size(), 1));
    for (std::size_t k = 0; k < shown.size(); ++k) {
      const std::uint32_t i = shown[k];
      const float bx = x0 + slot * static_cast<float>(k);
      const float h = (y1 - y0) * static_cast<float>(static_cast<double>(counts[i]) / static_cast<double>(top));
      const ImU32 col = servers[i].in_rotation ? lb_server_colour(i) : IM_COL32(80, 80, 90, 255);
      dl->AddRectFilled(ImVec2(bx + 2 * s, y1 - std::max(h, 1.0f)), ImVec2(bx + slot - 2 * s, y1), col, 2 * s);
      const ImVec2 ts = ImGui::CalcTextSize(servers[i].name.c_str());
      if (ts.x < slot) dl->AddText(ImVec2(bx + (slot - ts.x) * 0.5f, y1 + 1 * s), colour::text_faint, servers[i].name.c_str());
    }
  }

  const ImVec2 a0(o.x, o.y + 2 * line_h + 10 * s), a1(end.x, end.y - bars_h - line_h - 10 * s);
  if (a1.y - a0.y > 40) {
    if (std::holds_alternative<balance::MaglevTable>(p->structure)) draw_maglev(dl, a0, a1, view, sim);
    else if (std::holds_alternative<HashRing>(p->structure) || std::holds_alternative<balance::KetamaRing>(p->structure) ||
             std::holds_alternative<balance::BoundedLoadPick>(p->structure))
      draw_ring(dl, a0, a1, view, sim);
    else draw_columns(dl, a0, a1, view, sim);
  }
  dl->PopClipRect();
}

// ------------------------------------------------------------------ ring

void PlacementView::draw_ring(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const View& view, const LoadBalancerSim& sim) {
  const balance::LbPlacement& p = *sim.placement();
  const float s = view.scale;
  const auto& servers = sim.servers();
  // points as (position, server or kNoServer when that server is out of rotation)
  points_.clear();
  std::uint32_t points_per_server = 0;
  if (const auto* ring = std::get_if<HashRing>(&p.structure)) {
    for (const auto& pt : ring->points()) {
      const std::uint32_t server = pt.member < p.members.size() ? p.members[pt.member] : kNoServer;
      const bool alive = pt.member < p.member_alive.size() && p.member_alive[pt.member];
      points_.push_back({pt.position, alive ? server : kNoServer});
    }
    points_per_server = sim.config().balancer.points_per_node;
  } else if (const auto* ketama = std::get_if<balance::KetamaRing>(&p.structure)) {
    for (const auto& pt : ketama->points()) points_.push_back({pt.value, pt.server < p.members.size() ? p.members[pt.server] : kNoServer});
    points_per_server = ketama->servers().empty() ? 0 : ketama->points_for(0);
  } else if (const auto* bounded = std::get_if<balance::BoundedLoadPick>(&p.structure)) {
    const auto& ring = bounded->ring();
    for (std::size_t i = 0; i < ring.positions().size(); ++i) {
      const std::uint32_t node = ring.owners()[i];
      const bool alive = node < p.member_alive.size() && p.member_alive[node];
      points_.push_back({ring.positions()[i], alive ? node : kNoServer});
    }
    points_per_server = ring.config().points_per_node;
  }
  const ImVec2 center((p0.x + p1.x) * 0.5f, (p0.y + p1.y) * 0.5f);
  const float radius = std::max(20.0f, std::min(p1.x - p0.x, p1.y - p0.y) * 0.5f - 12 * s);
  const float band = std::clamp(radius * 0.07f, 5 * s, 12 * s);
  const float r_in = radius - band;
  // band: owner of each angular bin = the first live point at or after its middle
  const int bins = std::clamp(static_cast<int>(2 * kPi * radius / 1.5f), 180, 1440);
  bin_owner_.assign(static_cast<std::size_t>(bins), kNoServer);
  if (!points_.empty()) {
    std::vector<std::uint32_t> next_live(points_.size(), kNoServer);
    std::uint32_t next = kNoServer;
    for (int pass = 0; pass < 2; ++pass) {
      for (std::size_t j = points_.size(); j-- > 0;) {
        if (points_[j].server != kNoServer) next = static_cast<std::uint32_t>(j);
        if (pass == 1) next_live[j] = next;
      }
    }
    std::size_t j = 0;
    for (int i = 0; i < bins; ++i) {
      const auto position = static_cast<std::uint32_t>((static_cast<double>(i) + 0.5) / bins * kRingSize);
      while (j < points_.size() && points_[j].position < position) ++j;
      const std::uint32_t k = next_live[j < points_.size() ? j : 0];
      bin_owner_[static_cast<std::size_t>(i)] = k == kNoServer ? kNoServer : points_[k].server;
    }
  }
  dl->PrimReserve(bins * 6, bins * 4);
  for (int i = 0; i < bins; ++i) {
    const float a0 = -kPi * 0.5f + 2 * kPi * static_cast<float>(i) / static_cast<float>(bins);
    const float a1 = -kPi * 0.5f + 2 * kPi * static_cast<float>(i + 1) / static_cast<float>(bins);
    const float c0 = std::cos(a0), s0 = std::sin(a0), c1 = std::cos(a1), s1 = std::sin(a1);
    const ImU32 col = lerp_colour(owner_colour(bin_owner_[static_cast<std::size_t>(i)]), colour::canvas_bg, 0.12f);
    quad(dl, ImVec2(center.x + c0 * r_in, center.y + s0 * r_in), ImVec2(center.x + c0 * radius, center.y + s0 * radius),
         ImVec2(center.x + c1 * radius, center.y + s1 * radius), ImVec2(center.x + c1 * r_in, center.y + s1 * r_in), col);
  }
  // point ticks (binned when dense)
  {
    const float t_in = radius + 1.5f * s, t_out = radius + 6.5f * s;
    const std::size_t stride = std::max<std::size_t>(1, points_.size() / 2000);
    const std::size_t count = (points_.size() + stride - 1) / stride;
    dl->PrimReserve(static_cast<int>(count) * 6, static_cast<int>(count) * 4);
    const float half = 0.6f * s;
    for (std::size_t i = 0; i < points_.size(); i += stride) {
      const float a = angle_of(points_[i].position);
      const float c = std::cos(a), sn = std::sin(a);
      const ImVec2 n(-sn * half, c * half);
      const ImVec2 q0(center.x + c * t_in, center.y + sn * t_in), q1(center.x + c * t_out, center.y + sn * t_out);
      quad(dl, ImVec2(q0.x - n.x, q0.y - n.y), ImVec2(q1.x - n.x, q1.y - n.y), ImVec2(q1.x + n.x, q1.y + n.y), ImVec2(q0.x + n.x, q0.y + n.y),
           owner_colour(points_[i].server));
    }
  }
  // keys inside the band: three rows, moved ones with a white halo, the hottest ones bigger
  const std::size_t keys = p.key_owner.size();
  const std::size_t stride = std::max<std::size_t>(1, keys / 3000);
  const bool zipf = sim.config().workload.zipf_milli > 0;
  const float dot = std::max(1.2f, 1.6f * s);
  dl->PrimReserve(static_cast<int>((keys / stride + 1) * 12), static_cast<int>((keys / stride + 1) * 8));
  int used = 0;
  for (std::size_t k = 0; k < keys; k += stride) {
    const float a = angle_of(p.key_position[k]);
    const float r = r_in - 4.5f * s - static_cast<float>(k % 3) * 4.0f * s;
    const ImVec2 q(center.x + std::cos(a) * r, center.y + std::sin(a) * r);
    const float size_k = zipf && k < 10 ? dot * 2.0f : dot;
    const bool moved = k < p.key_moved.size() && p.key_moved[k];
    if (moved) {
      square(dl, q, size_k + 1.3f * s, colour::select);
      ++used;
    }
    // after a change the keys that stayed are dimmed, so the moved ones stand out
    const ImU32 col = owner_colour(p.key_owner[k]);
    square(dl, q, size_k, p.remap.moved > 0 && !moved ? lerp_colour(col, colour::canvas_bg, 0.6f) : col);
    ++used;
  }
  const int reserved = static_cast<int>((keys / stride + 1) * 2);
  dl->PrimUnreserve((reserved - used) * 6, (reserved - used) * 4);
  // centre text
  const float line_h = ImGui::GetTextLineHeight();
  char l1[96], l2[96], l3[96];
  std::snprintf(l1, sizeof l1, "%s", balance::lb_algo_label(p.algo));
  std::snprintf(l2, sizeof l2, "%zu servers \xc2\xb7 %u points each", p.members.size(), points_per_server);
  std::snprintf(l3, sizeof l3, "%zu keys%s%s", keys, zipf ? ", hottest bigger" : "", stride > 1 ? " (some shown)" : "");
  const char* lines[] = {l1, l2, l3};
  float y = center.y - line_h * 1.5f;
  for (int i = 0; i < 3; ++i) {
    const ImVec2 ts = ImGui::CalcTextSize(lines[i]);
    if (ts.x < r_in * 1.7f) dl->AddText(ImVec2(center.x - ts.x * 0.5f, y), i == 0 ? colour::text : colour::text_dim, lines[i]);
    y += line_h;
  }
  if (p.remap.moved > 0) {
    const char* moved = "\xe2\x96\xa1 moved in the last change";
    const ImVec2 ts = ImGui::CalcTextSize(moved);
    if (ts.x < r_in * 1.7f) dl->AddText(ImVec2(center.x - ts.x * 0.5f, y + 2 * s), colour::select, moved);
  }
  (void)servers;
}

// ------------------------------------------------------------------ maglev

void PlacementView::draw_maglev(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const View& view, const LoadBalancerSim& sim) {
  const balance::LbPlacement& p = *sim.placement();
  const auto& table = std::get<balance::MaglevTable>(p.structure);
  const float s = view.scale;
  const float line_h = ImGui::GetTextLineHeight();
  const auto& entries = table.entries();
  const std::size_t m = entries.size();
  auto slot_server = [&](std::size_t slot) { return entries[slot] < p.members.size() ? p.members[entries[slot]] : kNoServer; };
  const bool have_before = p.slot_before.size() == m && !p.remap.change.empty();
  auto changed = [&](std::size_t slot) { return have_before && p.slot_before[slot] != slot_server(slot); };
  const float x0 = p0.x + 10 * s, x1 = p1.x - 10 * s;
  float y = p0.y + 4 * s;
  char text[200];
  if (!table.error().empty() || m == 0) {
    dl->AddText(ImVec2(x0, y), colour::danger, table.error().empty() ? "empty table (no servers in rotation)" : table.error().c_str());
    return;
  }
  const auto per = table.entries_per_node();
  std::uint32_t lo = UINT32_MAX, hi = 0;
  for (auto c : per) lo = std::min(lo, c), hi = std::max(hi, c);
  std::snprintf(text, sizeof text, "Maglev table: %zu slots (a prime), %u to %u per server", m, lo, hi);
  dl->AddText(ImVec2(x0, y), colour::text, text);
  y += line_h + 1 * s;
  dl->AddText(ImVec2(x0, y), colour::text_dim, "key -> slot hash(key) mod M -> its server");
  y += line_h + 8 * s;

  // The first slots, enlarged and named: before the last change and now.
  const auto& servers = sim.servers();
  auto short_name = [&](std::uint32_t server) {
    if (server >= servers.size()) return std::string("-");
    const std::string& name = servers[server].name;
    return name.size() > 3 ? name.substr(name.size() - 3) : name;
  };
  const float label_w = ImGui::CalcTextSize("before ").x;
  const float cell = std::clamp((x1 - x0 - label_w) / 20.0f, 12 * s, 32 * s);
  const int cells = std::min<int>(static_cast<int>(m), static_cast<int>((x1 - x0 - label_w) / cell));
  auto cell_row = [&](const char* label, bool before) {
    dl->AddText(ImVec2(x0, y + (cell - line_h) * 0.5f), colour::text_dim, label);
    for (int i = 0; i < cells; ++i) {
      const auto slot = static_cast<std::size_t>(i);
      const std::uint32_t server = before ? p.slot_before[slot] : slot_server(slot);
      const ImVec2 c0(x0 + label_w + cell * static_cast<float>(i), y), c1(c0.x + cell - 2 * s, y + cell);
      dl->AddRectFilled(c0, c1, owner_colour(server), 2 * s);
      if (!before && changed(slot)) dl->AddRect(ImVec2(c0.x - 1, c0.y - 1), ImVec2(c1.x + 1, c1.y + 1), colour::select, 2 * s, 0, 2.0f * s);
      const std::string name = short_name(server);
      const ImVec2 ts = ImGui::CalcTextSize(name.c_str());
      if (ts.x < cell - 2 * s) dl->AddText(ImVec2(c0.x + (cell - 2 * s - ts.x) * 0.5f, c0.y + (cell - ts.y) * 0.5f), IM_COL32(10, 12, 16, 255), name.c_str());
    }
    y += cell + 3 * s;
  };
  std::snprintf(text, sizeof text, "slots 0-%d%s", cells - 1, have_before ? " before and after the last change" : "");
  dl->AddText(ImVec2(x0, y), colour::text_faint, text);
  y += line_h + 2 * s;
  if (have_before) cell_row("before", true);
  cell_row(have_before ? "now" : "", false);
  y += 8 * s;

  // The whole table as a strip, one pixel column per few slots; after a change the slots that
  // changed owner are bright with a white tick above, the others dimmed.
  std::size_t changed_count = 0;
  if (have_before)
    for (std::size_t k = 0; k < m; ++k) changed_count += changed(k) ? 1 : 0;
  if (have_before) std::snprintf(text, sizeof text, "all %zu slots: %zu changed owner (bright), the rest kept theirs", m, changed_count);
  else std::snprintf(text, sizeof text, "all %zu slots, slot 0 at the left", m);
  dl->AddText(ImVec2(x0, y), colour::text_faint, text);
  y += line_h + 7 * s;
  const float strip_h = std::clamp((p1.y - y) * 0.45f, 16 * s, 60 * s);
  const float width = x1 - x0;
  const int columns = std::max(1, static_cast<int>(width));
  dl->PrimReserve(columns * 12, columns * 8);
  int used = 0;
  for (int c = 0; c < columns; ++c) {
    const auto a = static_cast<std::size_t>(static_cast<double>(c) / columns * static_cast<double>(m));
    const std::size_t b = std::max(a + 1, static_cast<std::size_t>(static_cast<double>(c + 1) / columns * static_cast<double>(m)));
    std::size_t shown = std::min(m - 1, (a + b) / 2);
    bool moved = false;
    for (std::size_t k = a; k < b && k < m; ++k) {
      if (changed(k)) {
        moved = true;
        shown = k;
        break;
      }
    }
    ImU32 col = owner_colour(slot_server(shown));
    if (have_before && !moved) col = lerp_colour(col, colour::canvas_bg, 0.65f);
    const float cx0 = x0 + width * static_cast<float>(c) / static_cast<float>(columns);
    const float cx1 = x0 + width * static_cast<float>(c + 1) / static_cast<float>(columns);
    quad(dl, ImVec2(cx0, y), ImVec2(cx1, y), ImVec2(cx1, y + strip_h), ImVec2(cx0, y + strip_h), col);
    ++used;
    if (moved) {
      quad(dl, ImVec2(cx0, y - 5 * s), ImVec2(cx1, y - 5 * s), ImVec2(cx1, y - 1 * s), ImVec2(cx0, y - 1 * s), colour::select);
      ++used;
    }
  }
  dl->PrimUnreserve((columns * 2 - used) * 6, (columns * 2 - used) * 4);
  y += strip_h + 4 * s;

  // Keys as ticks under the strip at their slot (moved ones white and longer).
  const std::size_t keys = p.key_owner.size();
  const float tick_h = std::clamp(p1.y - y - line_h - 4 * s, 6 * s, 30 * s);
  const std::size_t stride = std::max<std::size_t>(1, keys / 3000);
  dl->PrimReserve(static_cast<int>((keys / stride + 1) * 6), static_cast<int>((keys / stride + 1) * 4));
  used = 0;
  for (int pass = 0; pass < 2; ++pass) {  // moved keys last, on top
    for (std::size_t k = 0; k < keys; k += stride) {
      const bool moved = k < p.key_moved.size() && p.key_moved[k];
      if (moved != (pass == 1)) continue;
      const std::uint32_t slot = table.slot_of(p.key_position[k]);
      const float x = x0 + width * (static_cast<float>(slot) + 0.5f) / static_cast<float>(m);
      const float h = moved ? tick_h : tick_h * 0.6f;
      const ImU32 col = moved ? colour::select : with_alpha(owner_colour(p.key_owner[k]), 200);
      quad(dl, ImVec2(x - 0.6f * s, y), ImVec2(x + 0.6f * s, y), ImVec2(x + 0.6f * s, y + h), ImVec2(x - 0.6f * s, y + h), col);
      ++used;
    }
  }
  const int reserved = static_cast<int>(keys / stride + 1);
  dl->PrimUnreserve((reserved - used) * 6, (reserved - used) * 4);
  std::snprintf(text, sizeof text, "%zu keys at their slots%s", keys, p.remap.moved ? " (white: moved in the last change)" : "");
  dl->AddText(ImVec2(x0, y + tick_h + 2 * s), colour::text_faint, text);
}

// ------------------------------------------------------------------ jump, rendezvous, modulo

void PlacementView::draw_columns(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const View& view, const LoadBalancerSim& sim) {
  const balance::LbPlacement& p = *sim.placement();
  const float s = view.scale;
  const float line_h = ImGui::GetTextLineHeight();
  const auto& servers = sim.servers();
  const char* how = p.algo == balance::LbAlgo::jump         ? "jump hash: buckets 0 .. n-1 in join order; a key whose bucket is out of rotation jumps again"
                    : p.algo == balance::LbAlgo::rendezvous ? "rendezvous: each server bids hash(key, server); the highest bid takes the key"
                                                            : "modulo: server = hash(key) mod (servers in rotation), in join order";
  dl->AddText(ImVec2(p0.x + 10 * s, p0.y + 4 * s), colour::text_dim, how);
  std::vector<std::uint32_t> shown;
  for (std::uint32_t i = 0; i < servers.size(); ++i)
    if (!servers[i].removed) shown.push_back(i);
  if (shown.empty()) return;
  const float x0 = p0.x + 10 * s, x1 = p1.x - 10 * s;
  const float top = p0.y + line_h * 2 + 10 * s, bottom = p1.y - line_h - 4 * s;
  const float col_w = (x1 - x0) / static_cast<float>(shown.size());
  std::vector<std::uint32_t> column_of(servers.size(), 0);
  for (std::size_t k = 0; k < shown.size(); ++k) column_of[shown[k]] = static_cast<std::uint32_t>(k);
  // keys stacked bottom-up in their server's column, in a grid of dots
  const float dot = std::max(1.2f, 1.6f * s);
  const float pitch = dot * 2 + 1.2f * s;
  const int per_row = std::max(1, static_cast<int>((col_w - 6 * s) / pitch));
  std::vector<int> filled(shown.size(), 0);
  const std::size_t keys = p.key_owner.size();
  const std::size_t stride = std::max<std::size_t>(1, keys / 3000);
  dl->PrimReserve(static_cast<int>((keys / stride + 1) * 12), static_cast<int>((keys / stride + 1) * 8));
  int used = 0;
  for (std::size_t k = 0; k < keys; k += stride) {
    const std::uint32_t owner = p.key_owner[k];
    if (owner >= servers.size() || servers[owner].removed) continue;
    const std::uint32_t c = column_of[owner];
    const int n = filled[c]++;
    const float x = x0 + col_w * static_cast<float>(c) + 3 * s + pitch * static_cast<float>(n % per_row) + dot;
    const float y = bottom - pitch * static_cast<float>(n / per_row) - dot;
    if (y < top) continue;
    const bool moved = k < p.key_moved.size() && p.key_moved[k];
    if (moved) {
      square(dl, ImVec2(x, y), dot + 1.2f * s, colour::select);
      ++used;
    }
    const ImU32 col = lb_server_colour(owner);
    square(dl, ImVec2(x, y), dot, p.remap.moved > 0 && !moved ? lerp_colour(col, colour::canvas_bg, 0.6f) : col);
    ++used;
  }
  const int reserved = static_cast<int>((keys / stride + 1) * 2);
  dl->PrimUnreserve((reserved - used) * 6, (reserved - used) * 4);
  for (std::size_t k = 0; k < shown.size(); ++k) {
    const std::uint32_t i = shown[k];
    const float cx = x0 + col_w * static_cast<float>(k);
    std::string label = servers[i].name;
    if (p.algo == balance::LbAlgo::jump) label = "#" + std::to_string(k) + " " + label;
    if (!servers[i].in_rotation) label += " (out)";
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    dl->AddText(ImVec2(cx + std::max(0.0f, (col_w - ts.x) * 0.5f), bottom + 2 * s), servers[i].in_rotation ? lb_server_colour(i) : colour::text_faint,
                label.c_str());
    if (k > 0) dl->AddLine(ImVec2(cx, top), ImVec2(cx, bottom), colour::grid);
  }
}

}  // namespace dsplay::ui
