// The load-balancer panel (see balancer_panel.hpp). The diagram is drawn straight into the window's
// draw list: clients on the left, the balancer, the servers in a column with service slots and a
// queue bar each. Requests in flight are dots on the lines (positions from their hop timestamps),
// finished ones flash for a moment at their server.
#include "ui/balancer_panel.hpp"

#include "ui/cluster_view.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>

#include "ui/theme.hpp"
#include "ui/world_helpers.hpp"

namespace dsplay::ui {

namespace {

using balance::LbHealth;
using balance::LoadBalancerSim;

ImVec2 lerp(ImVec2 a, ImVec2 b, float t) { return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t); }

const char* algo_help(balance::LbAlgo algo) {
  switch (algo) {
    case balance::LbAlgo::round_robin: return "The next server in turn, whatever its load";
    case balance::LbAlgo::weighted_round_robin: return "nginx's smooth weighted round robin: turns in proportion to the weights, evenly interleaved";
    case balance::LbAlgo::random: return "A server at random";
    case balance::LbAlgo::least_connections: return "The server with the fewest requests in progress (ties at random)";
    case balance::LbAlgo::weighted_least_connections: return "The largest weight / (requests in progress + 1)";
    case balance::LbAlgo::power_of_two_choices: return "Two servers at random, the one with fewer requests in progress (Envoy's least_request)";
    case balance::LbAlgo::ketama: return "Each key to its point on libmemcached's ketama continuum (MD5, 160 points per server)";
    case balance::LbAlgo::ring: return "Each key to the next server point clockwise on a consistent-hash ring";
    case balance::LbAlgo::jump: return "Jump consistent hash: no table at all, and only 1/(n+1) of the keys move when a server is added";
    case balance::LbAlgo::rendezvous: return "Highest random weight: every server bids hash(key, server), the highest bid wins";
    case balance::LbAlgo::maglev: return "Google's Maglev: a prime-sized lookup table filled evenly by per-server preference lists";
    case balance::LbAlgo::bounded_load: return "A ring, but no server may hold more than (1 + epsilon) x the average requests in progress";
    case balance::LbAlgo::modulo: return "hash(key) mod N: simple, and almost every key moves when N changes";
  }
  return "";
}

// One draw-list text with a drop shadow, for labels over busy lines.
void text_shadow(ImDrawList* dl, ImVec2 at, ImU32 col, const char* text, ImFont* font = nullptr, float size = 0) {
  if (font == nullptr) font = ImGui::GetFont();
  if (size <= 0) size = ImGui::GetFontSize();
  dl->AddText(font, size, ImVec2(at.x + 1, at.y + 1), IM_COL32(0, 0, 0, 200), text);
  dl->AddText(font, size, at, col, text);
}

}  // namespace

ImU32 lb_server_colour(std::uint32_t server) { return member_colour(server); }

std::string lb_format_latency(SimTimeUs us) {
  char buf[32];
  if (us < 1000) std::snprintf(buf, sizeof buf, "%lld us", static_cast<long long>(us));
  else if (us < 100'000) std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(us) / 1e3);
  else if (us < 1'000'000) std::snprintf(buf, sizeof buf, "%.0f ms", static_cast<double>(us) / 1e3);
  else std::snprintf(buf, sizeof buf, "%.2f s", static_cast<double>(us) / 1e6);
  return buf;
}

// ------------------------------------------------------------------ toolbar

void BalancerPanel::toolbar(const View& view, UiCommands& out, LbCompare& compare) {
  const World& world = view.world;
  const LoadBalancerSim* sim = world.lb();
  if (sim == nullptr) return;
  const float s = view.scale;
  const int current = static_cast<int>(sim->algo());
  // the next item on this row if `needed` pixels are left, else on a new row
  auto next = [](float needed) {
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x < needed) ImGui::NewLine();
  };
  ImGui::SetNextItemWidth(200 * s);
  if (ImGui::BeginCombo("##lb_algo", balance::lb_algo_label(sim->algo()))) {
    ImGui::TextDisabled("per request");
    for (int i = 0; i < balance::kLbAlgoCount; ++i) {
      const auto algo = static_cast<balance::LbAlgo>(i);
      if (algo == balance::LbAlgo::ketama) {
        ImGui::Separator();
        ImGui::TextDisabled("by key (hash placement)");
      }
      if (ImGui::Selectable(balance::lb_algo_label(algo), i == current) && i != current) out.emit(SetParam{"lb.algo", i});
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", algo_help(algo));
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("The balancing algorithm: %s", algo_help(sim->algo()));

  next(130 * s);
  const int rate_now = static_cast<int>(std::min<std::uint64_t>(sim->config().workload.rate_milli / 1000, 10'000'000));
  if (!rate_dragging_) rate_edit_ = std::max(rate_now, 1);
  ImGui::SetNextItemWidth(130 * s);
  ImGui::SliderInt("##lb_rate", &rate_edit_, 1, 5000, "%d req/s", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  rate_dragging_ = ImGui::IsItemActive();
  if (ImGui::IsItemDeactivatedAfterEdit() && rate_edit_ != rate_now) out.emit(SetParam{"lb.rate_per_s", rate_edit_});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Arrival rate of all clients together (Poisson). Ctrl-click to type.");

  next(ImGui::CalcTextSize("health checks").x + ImGui::GetFrameHeight() + 8 * s);
  bool checks = sim->config().health.enabled;
  if (ImGui::Checkbox("health checks", &checks)) out.emit(SetParam{"lb.health_checks", checks ? 1 : 0});
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The balancer probes every server each %s; after %u failed probes a server leaves the rotation",
                      format_duration(sim->config().health.interval_us).c_str(), sim->config().health.failures);

  next(ImGui::CalcTextSize("+ server").x + 16 * s);
  if (ImGui::Button("+ server")) out.emit(AddNode{auto_node_name(world, NodeRole::lb_server), NodeRole::lb_server});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("A new server joins: hash balancers show which keys move to it");

  const auto& want = compare.requested();
  std::string label = want ? std::string("Compare with: ") + balance::lb_algo_label(*want) : std::string("Compare with...");
  next(150 * s);
  ImGui::SetNextItemWidth(std::max(150 * s, ImGui::GetContentRegionAvail().x));
  if (ImGui::BeginCombo("##lb_compare", label.c_str())) {
    if (ImGui::Selectable("Off", !want)) compare.request(std::nullopt);
    ImGui::Separator();
    ImGui::TextDisabled("Run the same requests through another balancer, side by side:");
    for (int i = 0; i < balance::kLbAlgoCount; ++i) {
      if (i == current) continue;
      const auto algo = static_cast<balance::LbAlgo>(i);
      if (ImGui::Selectable(balance::lb_algo_label(algo), want && *want == algo)) compare.request(algo);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", algo_help(algo));
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Compare mode: a second run of this scenario, same seed, same requests, another balancer");
}

void BalancerPanel::draw(const View& view, UiCommands& out, LbCompare& compare) {
  toolbar(view, out, compare);
  diagram.draw(view, view.world, &out, nullptr, colour::text);
}

// ------------------------------------------------------------------ diagram

void LbDiagram::server_menu(const View& view, const World& world, UiCommands& out) {
  (void)view;
  const Node* popup_node = begin_node_popup("lb_node_menu", world, menu_node_);
  if (popup_node == nullptr) return;
  const Node& node = *popup_node;
  const LoadBalancerSim* sim = world.lb();
  if (node.removed) {
    ImGui::TextDisabled("removed");
  } else if (node.role == NodeRole::lb_server && sim != nullptr) {
    const std::uint32_t s = sim->find_server_tag(menu_node_);
    const balance::LbServer* server = s < sim->servers().size() ? &sim->servers()[s] : nullptr;
    if (node.up) {
      if (ImGui::MenuItem("Kill (crash)")) out.emit(CrashNode{node.name});
      if (server != nullptr && server->health == LbHealth::slow) {
        if (ImGui::MenuItem("Back to normal speed")) out.emit(ClientOp{node.name, "recover", 0});
      } else if (ImGui::MenuItem("Slow down", nullptr, false, !node.paused)) {
        out.emit(ClientOp{node.name, "slow", 0});
      }
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("A slow server still answers health checks: only load-aware balancers notice it");
      if (!node.paused) {
        if (ImGui::MenuItem("Pause (GC pause)")) out.emit(PauseNode{node.name});
      } else if (ImGui::MenuItem("Resume")) {
        out.emit(ResumeNode{node.name});
      }
    } else if (ImGui::MenuItem("Bring back (restart)")) {
      out.emit(RestartNode{node.name});
    }
    if (ImGui::MenuItem("Remove for good")) out.emit(RemoveNode{node.name});
  } else {
    if (node.up) {
      if (ImGui::MenuItem(node.role == NodeRole::balancer ? "Crash the balancer" : "Stop (crash)")) out.emit(CrashNode{node.name});
      if (!node.paused) {
        if (ImGui::MenuItem("Pause")) out.emit(PauseNode{node.name});
      } else if (ImGui::MenuItem("Resume")) {
        out.emit(ResumeNode{node.name});
      }
    } else if (ImGui::MenuItem("Restart")) {
      out.emit(RestartNode{node.name});
    }
  }
  ImGui::EndPopup();
}

void LbDiagram::draw(const View& view, const World& world, UiCommands* out, const char* heading, ImU32 heading_col) {
  const LoadBalancerSim* sim = world.lb();
  const float s = view.scale;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImVec2 size = ImGui::GetContentRegionAvail();
  size.x = std::max(size.x, 80.0f);
  size.y = std::max(size.y, 80.0f);
  ImGui::InvisibleButton("##lb_canvas", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left) || ImGui::IsItemClicked(ImGuiMouseButton_Right);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 end(origin.x + size.x, origin.y + size.y);
  dl->AddRectFilled(origin, end, colour::canvas_bg, 4.0f);
  if (sim == nullptr) {
    dl->AddText(ImVec2(origin.x + 10 * s, origin.y + 10 * s), colour::text_dim, "No load balancer in this scenario.");
    return;
  }
  dl->PushClipRect(origin, end, true);
  const SimTimeUs now = world.now_us();
  const auto& servers = sim->servers();
  const auto& clients = sim->clients();
  const auto& cfg = sim->config();
  const float line_h = ImGui::GetTextLineHeight();
  const ImVec2 mouse = ImGui::GetIO().MousePos;

  // --- headline ---
  float top = origin.y + 6 * s;
  {
    ImVec2 at(origin.x + 8 * s, top);
    if (heading != nullptr) {
      // compare mode: the side's name and its p99 so far, big
      ImFont* font = ImGui::GetIO().Fonts->Fonts.Size > 1 ? ImGui::GetIO().Fonts->Fonts[1] : ImGui::GetFont();
      const float fs = font == ImGui::GetFont() ? ImGui::GetFontSize() * 1.2f : font->FontSize;
      dl->AddText(font, fs, at, heading_col, heading);
      const std::string p99 = "p99 " + lb_format_latency(sim->latency().value_at_quantile(0.99));
      const float w = font->CalcTextSizeA(fs, FLT_MAX, 0, p99.c_str()).x;
      dl->AddText(font, fs, ImVec2(end.x - w - 10 * s, at.y), colour::text, p99.c_str());
      at.y += fs + 2 * s;
    }
    char text[200];
    const std::size_t wc = sim->window_count();
    if (wc > 0) {
      const balance::LbWindow& w = sim->window(wc - 1);
      const double secs = static_cast<double>(w.end_us - w.start_us) / 1e6;
      std::snprintf(text, sizeof text, "last %gs: p50 %s  p99 %s   %.0f done/s", secs, lb_format_latency(w.p50_us).c_str(),
                    lb_format_latency(w.p99_us).c_str(), static_cast<double>(w.completed) / secs);
      dl->AddText(at, colour::text, text);
      const float x = at.x + ImGui::CalcTextSize(text).x;
      if (w.dropped + w.failed > 0) {
        std::snprintf(text, sizeof text, "   %.0f dropped/s", static_cast<double>(w.dropped + w.failed) / secs);
        dl->AddText(ImVec2(x, at.y), colour::danger, text);
      }
    } else {
      dl->AddText(at, colour::text_dim, "warming up (numbers after the first second)");
    }
    at.y += line_h;
    const balance::LbTotals& t = sim->totals();
    std::snprintf(text, sizeof text, "so far: %llu requests \xc2\xb7 %llu dropped \xc2\xb7 %llu failed \xc2\xb7 p99 %s",
                  static_cast<unsigned long long>(t.arrivals), static_cast<unsigned long long>(t.dropped),
                  static_cast<unsigned long long>(t.failed + t.no_server), lb_format_latency(sim->latency().value_at_quantile(0.99)).c_str());
    dl->AddText(at, colour::text_dim, text);
    top = at.y + 2 * line_h + 6 * s;  // and a line for the column captions
  }

  // --- layout ---
  std::vector<std::uint32_t> shown;  // servers not removed
  for (std::uint32_t i = 0; i < servers.size(); ++i)
    if (!servers[i].removed) shown.push_back(i);
  const float area_top = top + 4 * s, area_bottom = end.y - 8 * s;
  const float area_h = std::max(area_bottom - area_top, 40.0f);
  const float x_client = origin.x + std::max(size.x * 0.07f, 34 * s);
  const float x_balancer = origin.x + size.x * 0.27f;
  const float box_w = std::clamp(size.x * 0.11f, 44 * s, 90 * s);
  const float x_box = origin.x + size.x * 0.47f;
  const float right_text_w = 64 * s;
  const float x_queue1 = end.x - right_text_w - 6 * s;
  const float row_h = area_h / static_cast<float>(std::max<std::size_t>(shown.size(), 1));
  const float box_h = std::clamp(row_h * 0.62f, 10 * s, 34 * s);
  server_pos_.assign(servers.size(), ImVec2(0, 0));
  for (std::size_t k = 0; k < shown.size(); ++k)
    server_pos_[shown[k]] = ImVec2(x_box, area_top + row_h * (static_cast<float>(k) + 0.5f));
  client_pos_.assign(clients.size(), ImVec2(0, 0));
  std::vector<std::uint32_t> shown_clients;
  for (std::uint32_t c = 0; c < clients.size(); ++c)
    if (!clients[c].removed) shown_clients.push_back(c);
  const float client_row = area_h / static_cast<float>(std::max<std::size_t>(shown_clients.size(), 1));
  for (std::size_t k = 0; k < shown_clients.size(); ++k)
    client_pos_[shown_clients[k]] = ImVec2(x_client, area_top + client_row * (static_cast<float>(k) + 0.5f));
  const ImVec2 balancer_pos(x_balancer, area_top + area_h * 0.5f);
  const float node_r = std::clamp(std::min(row_h, client_row) * 0.22f, 6 * s, 14 * s);
  const float lb_r = 18 * s;

  // --- lines: clients -> balancer, balancer -> servers (width = share of the last window's requests) ---
  for (std::uint32_t c : shown_clients) dl->AddLine(client_pos_[c], balancer_pos, IM_COL32(150, 165, 190, 60), 1.5f * s);
  std::uint32_t max_dispatched = 1;
  std::vector<std::uint32_t> dispatched(servers.size(), 0);
  if (sim->window_count() > 0) {
    const balance::LbWindow& w = sim->window(sim->window_count() - 1);
    for (std::size_t i = 0; i < w.servers.size() && i < servers.size(); ++i) dispatched[i] = w.servers[i].dispatched;
  } else {
    for (std::size_t i = 0; i < servers.size(); ++i) dispatched[i] = sim->current_window_servers()[i].dispatched;
  }
  for (auto d : dispatched) max_dispatched = std::max(max_dispatched, d);
  for (std::uint32_t i : shown) {
    const balance::LbServer& server = servers[i];
    const ImVec2 to(server_pos_[i].x - 2 * s, server_pos_[i].y);
    if (!server.in_rotation) {
      add_dashed_line(dl, balancer_pos, to, IM_COL32(120, 120, 130, 120), 1.0f * s, 5 * s, 5 * s);
      continue;
    }
    const float share = static_cast<float>(dispatched[i]) / static_cast<float>(max_dispatched);
    dl->AddLine(balancer_pos, to, with_alpha(lb_server_colour(i), 60 + static_cast<int>(100 * share)), (1.0f + 7.0f * share) * s);
  }

  // --- requests in flight ---
  const int budget = 2000;
  int drawn = 0;
  const float dot = std::max(2.2f, 3.2f * s);
  for (std::uint32_t c : shown_clients) {
    const balance::LbClient& client = clients[c];
    if (!client.up || client.next_send_us > now || cfg.client_hop_us <= 0) continue;
    const float t = std::clamp(static_cast<float>(static_cast<double>(now - client.next_send_us) / static_cast<double>(cfg.client_hop_us)), 0.0f, 1.0f);
    dl->AddCircleFilled(lerp(client_pos_[c], balancer_pos, t), dot, member_colour(c + 11, 1.0f), 10);
  }
  std::uint32_t held = 0;
  for (const balance::LbRequest& r : sim->request_slots()) {
    if (r.id == 0) continue;
    if (r.state == balance::LbRequestState::held) {
      ++held;
      continue;
    }
    if (r.state != balance::LbRequestState::to_server || r.server >= servers.size() || drawn >= budget) continue;
    const SimTimeUs span = r.server_us - r.balancer_us;
    const float t = span > 0 ? std::clamp(static_cast<float>(static_cast<double>(now - r.balancer_us) / static_cast<double>(span)), 0.0f, 1.0f) : 1.0f;
    const ImVec2 to(server_pos_[r.server].x - 2 * s, server_pos_[r.server].y);
    dl->AddCircleFilled(lerp(balancer_pos, to, t), dot, member_colour(r.client + 11, 1.0f), 10);
    ++drawn;
  }

  // --- clients ---
  NodeId hovered_node = kNoNode;
  for (std::uint32_t c : shown_clients) {
    const balance::LbClient& client = clients[c];
    const ImVec2 p = client_pos_[c];
    add_node_shape(dl, p, node_r, NodeRole::lb_client, client.up ? member_colour(c + 11, 0.8f) : colour::crashed_fill);
    if (!client.up) add_cross(dl, p, node_r * 0.6f, colour::crashed_mark, 2.0f);
    const ImVec2 ts = ImGui::CalcTextSize(client.name.c_str());
    if (client_row > line_h * 1.6f || shown_clients.size() <= 6)
      text_shadow(dl, ImVec2(p.x - ts.x * 0.5f, p.y + node_r + 2 * s), colour::text_dim, client.name.c_str());
    if (hovered && std::fabs(mouse.x - p.x) < node_r + 3 * s && std::fabs(mouse.y - p.y) < node_r + 3 * s) hovered_node = client.tag;
  }

  // --- balancer ---
  {
    const bool up = sim->balancer_up();
    add_node_shape(dl, balancer_pos, lb_r, NodeRole::balancer, up ? (sim->balancer_paused() ? colour::paused : colour::accent) : colour::crashed_fill);
    if (!up) add_cross(dl, balancer_pos, lb_r * 0.5f, colour::crashed_mark, 3.0f);
    const char* name = "balancer";
    const ImVec2 ts = ImGui::CalcTextSize(name);
    text_shadow(dl, ImVec2(balancer_pos.x - ts.x * 0.5f, balancer_pos.y + lb_r + 2 * s), colour::text, name);
    if (held > 0) {
      char text[32];
      std::snprintf(text, sizeof text, "%u waiting", held);
      text_shadow(dl, ImVec2(balancer_pos.x - ImGui::CalcTextSize(text).x * 0.5f, balancer_pos.y - lb_r - line_h - 2 * s), colour::warning, text);
    }
    if (hovered && std::fabs(mouse.x - balancer_pos.x) < lb_r && std::fabs(mouse.y - balancer_pos.y) < lb_r) {
      for (NodeId id = 0; id < world.nodes().size(); ++id)
        if (world.nodes()[id].role == NodeRole::balancer && !world.nodes()[id].removed) hovered_node = id;
    }
  }

  // --- servers: box, service slots, queue bar, numbers ---
  std::uint32_t hovered_server = LoadBalancerSim::kNone;
  const SimTimeUs flash_us = std::max<SimTimeUs>(cfg.server_hop_us, 60 * kUsPerMs);
  std::vector<std::uint8_t> flash_done(servers.size(), 0), flash_bad(servers.size(), 0);
  for (const balance::LbRecent& r : sim->recent()) {
    if (r.server >= servers.size() || r.time_us > now || now - r.time_us > flash_us) continue;
    if (r.kind == balance::LbRecentKind::completed) flash_done[r.server] = 1;
    else flash_bad[r.server] = 1;
  }
  for (std::uint32_t i : shown) {
    const balance::LbServer& server = servers[i];
    const ImVec2 mid = server_pos_[i];
    const ImVec2 b0(mid.x, mid.y - box_h * 0.5f), b1(mid.x + box_w, mid.y + box_h * 0.5f);
    const bool down = server.health == LbHealth::down;
    ImU32 fill = down ? colour::crashed_fill
                 : server.paused ? colour::paused
                 : server.health == LbHealth::slow ? lerp_colour(colour::warning, colour::canvas_bg, 0.45f)
                                                   : lerp_colour(lb_server_colour(i), colour::canvas_bg, 0.55f);
    dl->AddRectFilled(b0, b1, fill, 4 * s);
    dl->AddRect(b0, b1, server.in_rotation ? lb_server_colour(i) : IM_COL32(150, 150, 160, 200), 4 * s, 0, (server.in_rotation ? 2.0f : 1.0f) * s);
    if (flash_done[i]) dl->AddRect(ImVec2(b0.x - 3 * s, b0.y - 3 * s), ImVec2(b1.x + 3 * s, b1.y + 3 * s), with_alpha(colour::ok, 200), 6 * s, 0, 2.0f * s);
    if (down) add_cross(dl, ImVec2((b0.x + b1.x) * 0.5f, mid.y), box_h * 0.3f, colour::crashed_mark, 2.5f * s);
    {
      std::string label = server.name;
      if (server.health == LbHealth::slow) label += " (slow)";
      else if (server.params.speed_permille != 1000) {
        char sp[24];
        std::snprintf(sp, sizeof sp, " x%.2g", server.params.speed_permille / 1000.0);
        label += sp;
      }
      const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
      const ImVec2 at = ts.x < box_w - 6 * s ? ImVec2(b0.x + (box_w - ts.x) * 0.5f, mid.y - ts.y * 0.5f) : ImVec2(b0.x - ts.x - 6 * s, mid.y - ts.y * 0.5f);
      if (ts.y < box_h + 2 || row_h > line_h) text_shadow(dl, at, colour::text, label.c_str());
    }
    if (!server.in_rotation)
      text_shadow(dl, ImVec2(b0.x, b0.y - line_h * 0.95f), colour::danger, "out of rotation", ImGui::GetFont(), ImGui::GetFontSize() * 0.85f);

    // service slots: one square per unit of capacity (a bar when there are many)
    const float slots_x0 = b1.x + 8 * s;
    const std::uint32_t cap = server.params.capacity;
    float x = slots_x0;
    const float sq = std::min(box_h * 0.55f, 12 * s);
    if (cap <= 12) {
      for (std::uint32_t k = 0; k < cap; ++k) {
        const ImVec2 q0(x, mid.y - sq * 0.5f), q1(x + sq, mid.y + sq * 0.5f);
        if (k < server.in_service) dl->AddRectFilled(q0, q1, server.health == LbHealth::slow ? colour::warning : colour::active, 2 * s);
        else dl->AddRect(q0, q1, IM_COL32(120, 130, 150, 160), 2 * s, 0, 1.0f);
        x += sq + 2 * s;
      }
    } else {
      const float w = 60 * s;
      dl->AddRect(ImVec2(x, mid.y - sq * 0.5f), ImVec2(x + w, mid.y + sq * 0.5f), IM_COL32(120, 130, 150, 160), 2 * s);
      dl->AddRectFilled(ImVec2(x, mid.y - sq * 0.5f), ImVec2(x + w * static_cast<float>(server.in_service) / static_cast<float>(cap), mid.y + sq * 0.5f),
                        colour::active, 2 * s);
      x += w + 2 * s;
    }
    // queue bar
    const float q0x = x + 6 * s, q1x = std::max(q0x + 20 * s, x_queue1);
    const float qh = std::min(box_h * 0.7f, 16 * s);
    const ImVec2 qa(q0x, mid.y - qh * 0.5f), qb(q1x, mid.y + qh * 0.5f);
    dl->AddRectFilled(qa, qb, IM_COL32(30, 35, 46, 255), 3 * s);
    const std::uint32_t limit = std::max<std::uint32_t>(server.params.queue_limit, 1);
    const float frac = std::min(1.0f, static_cast<float>(server.queue.size()) / static_cast<float>(limit));
    if (frac > 0) {
      const ImU32 qcol = frac >= 0.999f ? colour::danger : frac > 0.5f ? colour::warning : IM_COL32(110, 170, 255, 255);
      dl->AddRectFilled(qa, ImVec2(q0x + (q1x - q0x) * frac, qb.y), qcol, 3 * s);
    }
    if (limit <= 64 && (q1x - q0x) / static_cast<float>(limit) > 3 * s) {
      for (std::uint32_t k = 1; k < limit; ++k) {
        const float tx = q0x + (q1x - q0x) * static_cast<float>(k) / static_cast<float>(limit);
        dl->AddLine(ImVec2(tx, qa.y), ImVec2(tx, qb.y), IM_COL32(16, 19, 26, 160), 1.0f);
      }
    }
    dl->AddRect(qa, qb, IM_COL32(90, 100, 120, 200), 3 * s);
    if (flash_bad[i]) add_cross(dl, ImVec2(q1x + 8 * s, mid.y), qh * 0.4f, colour::danger, 2.5f * s);
    // numbers: queue length and served per second in the last window
    {
      char text[48];
      std::snprintf(text, sizeof text, "%u", server.queue.size());
      if (server.queue.size() > 0 && qh >= line_h * 0.8f) text_shadow(dl, ImVec2(q0x + 4 * s, mid.y - line_h * 0.5f), colour::text, text);
      const double served = sim->window_count() > 0 && i < sim->window(sim->window_count() - 1).servers.size()
                                ? sim->window(sim->window_count() - 1).servers[i].completed
                                : 0;
      const double secs = static_cast<double>(cfg.window_us) / 1e6;
      std::snprintf(text, sizeof text, "%.0f/s", served / secs);
      text_shadow(dl, ImVec2(x_queue1 + 16 * s, mid.y - line_h * 0.5f), colour::text_dim, text);
    }
    const bool over = hovered && mouse.y >= mid.y - row_h * 0.5f && mouse.y < mid.y + row_h * 0.5f && mouse.x >= b0.x - 30 * s;
    if (over) {
      hovered_server = i;
      hovered_node = server.tag;
      dl->AddRect(ImVec2(b0.x - 2 * s, b0.y - 2 * s), ImVec2(b1.x + 2 * s, b1.y + 2 * s), colour::select, 5 * s, 0, 1.5f * s);
    }
  }
  // column captions
  if (!shown.empty()) {
    const float cy = area_top - line_h - 2 * s;
    if (cy > origin.y + line_h) {
      dl->AddText(ImVec2(x_box, cy), colour::text_faint, "servers");
      dl->AddText(ImVec2(x_box + box_w + 8 * s, cy), colour::text_faint, "in service \xc2\xb7 queue");
      dl->AddText(ImVec2(x_queue1 + 16 * s, cy), colour::text_faint, "done");
    }
  }
  dl->PopClipRect();

  // --- tooltip and clicks ---
  if (hovered_server != LoadBalancerSim::kNone) {
    const balance::LbServer& server = servers[hovered_server];
    ImGui::BeginTooltip();
    ImGui::TextColored(to_vec4(lb_server_colour(hovered_server)), "%s", server.name.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("%s%s%s", balance::lb_health_name(server.health), server.paused ? ", paused" : "",
                        server.in_rotation ? "" : ", out of rotation");
    ImGui::Text("capacity %u \xc2\xb7 speed %.2f%s \xc2\xb7 queue %u / %u", server.params.capacity, server.params.speed_permille / 1000.0,
                server.health == LbHealth::slow ? " (slowed)" : "", server.queue.size(), server.params.queue_limit);
    ImGui::Text("in progress %u (in service %u) \xc2\xb7 served %llu \xc2\xb7 dropped %llu \xc2\xb7 failed %llu", server.active,
                server.in_service, static_cast<unsigned long long>(server.served), static_cast<unsigned long long>(server.dropped),
                static_cast<unsigned long long>(server.failed));
    if (server.served > 0) ImGui::Text("mean latency %s", lb_format_latency(static_cast<SimTimeUs>(server.latency_sum_us / server.served)).c_str());
    ImGui::TextDisabled("click: kill, slow down, pause, bring back");
    ImGui::EndTooltip();
  } else if (hovered_node != kNoNode && hovered_node < world.nodes().size()) {
    ImGui::SetTooltip("%s (%s): click to crash, pause or restart", world.nodes()[hovered_node].name.c_str(),
                      role_label(world.nodes()[hovered_node].role));
  }
  if (out != nullptr) {
    if (clicked && hovered_node != kNoNode) {
      menu_node_ = hovered_node;
      out->act(SelectNode{hovered_node, SelectMode::replace});
      ImGui::OpenPopup("lb_node_menu");
    }
    server_menu(view, world, *out);
  }
}

}  // namespace dsplay::ui
