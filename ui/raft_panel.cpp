// The Raft panel, the cluster view's Raft decorations and the Figure 16 window (see raft_panel.hpp).
#include "ui/raft_panel.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/raft/raft_client.hpp"
#include "core/raft/raft_node.hpp"
#include "ui/theme.hpp"
#include "ui/world_helpers.hpp"

namespace dsplay::ui {

namespace {

constexpr float kPi = 3.14159265f;

// One hue per term, stable: neighbouring terms far apart on the colour wheel.
ImU32 term_colour(std::uint64_t term, float value = 0.9f) {
  if (term == 0) return colour::text_faint;
  return member_colour(static_cast<std::uint32_t>(term * 3 + 1), value);
}

const RaftNode* raft_of(const World& world, NodeId id) {
  return id < world.nodes().size() ? std::get_if<RaftNode>(&world.nodes()[id].process) : nullptr;
}

// The running leader with the highest term (kNoNode if none).
NodeId current_leader(const World& world) {
  NodeId best = kNoNode;
  std::uint64_t term = 0;
  for (NodeId id = 0; id < world.nodes().size(); ++id) {
    const Node& node = world.nodes()[id];
    const RaftNode* raft = raft_of(world, id);
    if (raft != nullptr && node.up && !node.removed && raft->is_leader() && raft->term() >= term) best = id, term = raft->term();
  }
  return best;
}

// Fraction of the election timeout that has run out (0 just reset, 1 firing); -1 when not running.
float timer_fraction(const World& world, NodeId id, const RaftNode& raft) {
  const SimTimeUs reset = raft.election_reset_local_us(), deadline = raft.election_deadline_local_us();
  if (raft.is_leader() || deadline <= reset || !world.nodes()[id].up) return -1;
  const SimTimeUs now = world.local_time_us(id);
  return std::clamp(static_cast<float>(static_cast<double>(now - reset) / static_cast<double>(deadline - reset)), 0.0f, 1.0f);
}

const char* role_letter(RaftNode::Role role) {
  switch (role) {
    case RaftNode::Role::leader: return "L";
    case RaftNode::Role::candidate: return "C";
    case RaftNode::Role::follower: return "F";
  }
  return "?";
}

ImU32 role_colour(RaftNode::Role role) {
  switch (role) {
    case RaftNode::Role::leader: return colour::serving;
    case RaftNode::Role::candidate: return colour::waiting;
    case RaftNode::Role::follower: return colour::idle;
  }
  return colour::idle;
}

std::string entry_text(const World& world, const RaftEntry& e) {
  const RaftCommand& c = e.command;
  std::string out = std::string(raft_op_name(c.op)) + ", term " + std::to_string(e.term);
  if (c.client != kNoNode && c.client < world.nodes().size()) out += ", from " + world.nodes()[c.client].name + " #" + std::to_string(c.request_id);
  if (c.session != 0) out += ", session " + std::to_string(c.session);
  if (c.op == RaftOp::acquire || c.op == RaftOp::release) out += ", lock " + std::to_string(c.arg);
  if (c.op == RaftOp::put) out += ", value " + std::to_string(c.arg);
  return out;
}

// Which Figure 3 property (or lock check) the world's violations name, if any.
bool violated(const World& world, const char* prefix) {
  for (const Violation& v : world.violations())
    if (std::string(v.what).rfind(prefix, 0) == 0) return true;
  return false;
}

}  // namespace

bool world_has_raft(const World& world) {
  for (const Node& node : world.nodes())
    if (node.role == NodeRole::raft || node.role == NodeRole::raft_client) return true;
  return false;
}

// ------------------------------------------------------------------ cluster view decorations

void draw_raft_node_overlay(ImDrawList* dl, const View& view, NodeId id, ImVec2 c, float r) {
  const World& world = view.world;
  const RaftNode* raft = raft_of(world, id);
  const float s = view.scale;
  if (raft == nullptr) {
    // A lock-service client holding a lock: a gold ring with its fencing token.
    const auto* client = id < world.nodes().size() ? std::get_if<RaftClient>(&world.nodes()[id].process) : nullptr;
    if (client != nullptr && client->holds() && world.nodes()[id].up) {
      dl->AddCircle(c, r + 5 * s, colour::token_gold, 24, 2.5f * s);
      char text[32];
      std::snprintf(text, sizeof text, "#%llu", static_cast<unsigned long long>(client->token()));
      const ImVec2 ts = ImGui::CalcTextSize(text);
      dl->AddText(ImVec2(c.x - ts.x * 0.5f, c.y - r - 7 * s - ts.y), colour::token_gold, text);
    }
    return;
  }
  const Node& node = world.nodes()[id];
  const float ring_r = r + 5 * s;
  // Election timer: the arc fills clockwise from the top as the timeout runs out.
  const float f = timer_fraction(world, id, *raft);
  if (f >= 0) {
    dl->AddCircle(c, ring_r, with_alpha(colour::text_faint, 90), 32, 2.0f * s);
    if (f > 0.001f) {
      const ImU32 col = raft->role() == RaftNode::Role::candidate ? colour::waiting : lerp_colour(colour::text_dim, colour::warning, f * f);
      dl->PathArcTo(c, ring_r, -kPi * 0.5f, -kPi * 0.5f + 2 * kPi * f, 32);
      dl->PathStroke(col, 0, 3.0f * s);
    }
  } else if (raft->is_leader() && node.up) {
    dl->AddCircle(c, ring_r, colour::serving, 32, 3.0f * s);
  }
  // Term inside the node (when it fits), role letter as a badge.
  if (r >= 9 * s) {
    char term[24];
    std::snprintf(term, sizeof term, "%llu", static_cast<unsigned long long>(raft->term()));
    const ImVec2 ts = ImGui::CalcTextSize(term);
    dl->AddText(ImVec2(c.x - ts.x * 0.5f, c.y - ts.y * 0.5f), node.up ? colour::select : colour::text_dim, term);
  }
  if (node.up) {
    const ImVec2 b(c.x + r * 0.85f, c.y - r * 0.85f);
    const float br = 6.5f * s;
    dl->AddCircleFilled(b, br, role_colour(raft->role()), 16);
    dl->AddCircle(b, br, colour::canvas_bg, 16, 1.5f);
    const ImVec2 ls = ImGui::CalcTextSize(role_letter(raft->role()));
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 0.8f, ImVec2(b.x - ls.x * 0.4f, b.y - ls.y * 0.4f), colour::canvas_bg,
                role_letter(raft->role()));
  }
  // Votes of a candidate: one dot per vote needed, on the bottom of its ring, filled for each it has.
  if (raft->role() == RaftNode::Role::candidate && node.up) {
    const std::size_t need = raft->members().size() / 2 + 1;
    const float dot = 2.8f * s, step = std::min(0.5f, 2.4f / static_cast<float>(need));
    for (std::size_t i = 0; i < need; ++i) {
      const float a = kPi * 0.5f + step * (static_cast<float>(need - 1) * 0.5f - static_cast<float>(i));
      const ImVec2 p(c.x + std::cos(a) * ring_r, c.y + std::sin(a) * ring_r);
      dl->AddCircleFilled(p, dot + 1.2f * s, colour::canvas_bg, 10);
      if (i < raft->votes()) dl->AddCircleFilled(p, dot, colour::select, 10);
      else dl->AddCircle(p, dot, colour::select, 10, 1.2f);
    }
  }
}

void raft_node_action_items(const View& view, NodeId id, UiCommands& out) {
  const Node& node = view.world.nodes()[id];
  if (const RaftNode* raft = raft_of(view.world, id)) {
    ImGui::Separator();
    if (ImGui::MenuItem("Time out now (start an election)", nullptr, false, node.up && !node.paused && !raft->is_leader()))
      out.emit(ClientOp{node.name, "timeout_now", 0});
    if (ImGui::MenuItem("Client request: put", nullptr, false, node.up && !node.paused && raft->is_leader()))
      out.emit(ClientOp{node.name, "put", 1});
    if (!raft->is_leader() && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("Only the leader takes requests; the others redirect clients to it");
  } else if (const auto* client = std::get_if<RaftClient>(&node.process)) {
    ImGui::Separator();
    const bool ready = node.up && !node.paused;
    if (ImGui::MenuItem("Acquire the lock", nullptr, false, ready && client->session() != 0 && client->phase() == LockPhase::idle))
      out.emit(ClientOp{node.name, "acquire", 0});
    if (ImGui::MenuItem("Write to the storage now", nullptr, false, ready && client->phase() == LockPhase::holding))
      out.emit(ClientOp{node.name, "write", 0});
    if (ImGui::MenuItem("Release the lock", nullptr, false, ready && client->holds())) out.emit(ClientOp{node.name, "release", 0});
    if (ImGui::MenuItem("Send a put", nullptr, false, ready && !client->waiting_for_reply())) out.emit(ClientOp{node.name, "put", 1});
  }
}

// ------------------------------------------------------------------ the panel

void RaftPanel::draw(const View& view, UiCommands& out) {
  header(view, out);
  lock_view_.violations(view, out);  // the consensus lock judged by the lock family's referee
  if (ImGui::BeginTabBar("##raft_tabs")) {
    if (ImGui::BeginTabItem("Servers and logs")) {
      servers_table(view);
      ImGui::Spacing();
      log_grid(view);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Lock service")) {
      lock_table(view, out);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Timing")) {
      timing(view, out);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  fig16_window(view);
}

void RaftPanel::header(const View& view, UiCommands&) {
  const World& world = view.world;
  const NodeId leader = current_leader(world);
  if (leader != kNoNode) {
    ImGui::TextColored(to_vec4(colour::serving), "Leader %s", view.name_of(leader));
    ImGui::SameLine();
    ImGui::TextDisabled("term %llu, commit %llu", static_cast<unsigned long long>(raft_of(world, leader)->term()),
                        static_cast<unsigned long long>(raft_of(world, leader)->commit_index()));
  } else {
    ImGui::TextColored(to_vec4(colour::waiting), "No leader");
    ImGui::SameLine();
    ImGui::TextDisabled("(an election is needed)");
  }
  ImGui::SameLine();
  ImGui::TextDisabled("\xc2\xb7 %zu terms had a leader", world.raft_checker().leaders().size());
  // The five Figure 3 properties, as the checker sees them after every event.
  static constexpr struct {
    const char* prefix;
    const char* label;
    const char* help;
  } kProps[] = {
      {"Election Safety", "Election Safety", "At most one leader can be elected in a given term (5.2)"},
      {"Leader Append-Only", "Append-Only", "A leader never overwrites or deletes entries in its log (5.3)"},
      {"Log Matching", "Log Matching", "Same index and term: identical logs up to there (5.3)"},
      {"Leader Completeness", "Completeness", "A committed entry is in the logs of all later leaders (5.4)"},
      {"State Machine Safety", "SM Safety", "No two servers apply different entries at one index (5.4.3)"},
  };
  for (std::size_t i = 0; i < std::size(kProps); ++i) {
    const bool bad = violated(world, kProps[i].prefix);
    char text[64];
    std::snprintf(text, sizeof text, "%s %s", bad ? "\xe2\x9c\x97" : "\xe2\x9c\x93", kProps[i].label);
    // Wrap to the next line when this one is full.
    if (i > 0) {
      ImGui::SameLine();
      if (ImGui::GetCursorPosX() + ImGui::CalcTextSize(text).x > ImGui::GetWindowContentRegionMax().x) ImGui::NewLine();
    }
    ImGui::TextColored(to_vec4(bad ? colour::danger : colour::ok), "%s", text);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s%s", kProps[i].help, bad ? "\nBROKEN: see the violation in the event log" : "\nholds after every event so far");
  }
  if (violated(world, "two lock holders") || violated(world, "fencing")) {
    banner(violated(world, "two lock holders") ? "Two clients trust a lease on the same lock (a paused or slow client): fencing tokens must protect the storage"
                                               : "A fencing token did not increase",
           colour::danger_bg, colour::text);
  }
  const std::string warning = raft_timing_warning(world.config().raft, world.network().defaults);
  if (!warning.empty()) {
    ImGui::TextColored(to_vec4(colour::warning), "Timing: expect needless elections (hover for why)");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", warning.c_str());
  }
}

void RaftPanel::servers_table(const View& view) {
  const World& world = view.world;
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoHostExtendX;
  if (!ImGui::BeginTable("##raft_servers", 8, flags)) return;
  for (const char* h : {"server", "role", "term", "voted", "log", "commit", "applied", "election timer"}) ImGui::TableSetupColumn(h);
  ImGui::TableHeadersRow();
  const NodeId leader = current_leader(world);
  const RaftNode* l = raft_of(world, leader);
  for (NodeId id = 0; id < world.nodes().size(); ++id) {
    const RaftNode* raft = raft_of(world, id);
    const Node& node = world.nodes()[id];
    if (raft == nullptr || node.removed) continue;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const bool selected = view.selection.contains(id);
    ImGui::TextColored(to_vec4(!node.up ? colour::crashed_mark : selected ? colour::accent : colour::text), "%s", node.name.c_str());
    ImGui::TableNextColumn();
    if (!node.up) ImGui::TextColored(to_vec4(colour::crashed_mark), "crashed");
    else if (node.paused) ImGui::TextDisabled("paused");
    else ImGui::TextColored(to_vec4(role_colour(raft->role())), "%s", raft_role_name(raft->role()));
    if (raft->role() == RaftNode::Role::candidate && node.up) {
      ImGui::SameLine();
      ImGui::TextDisabled("%u/%zu", raft->votes(), raft->members().size() / 2 + 1);
    }
    ImGui::TableNextColumn();
    ImGui::TextColored(to_vec4(term_colour(raft->term())), "%llu", static_cast<unsigned long long>(raft->term()));
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(raft->voted_for() == kNoNode ? "-" : view.name_of(raft->voted_for()));
    ImGui::TableNextColumn();
    ImGui::Text("%llu", static_cast<unsigned long long>(raft->log().last_index()));
    ImGui::TableNextColumn();
    ImGui::Text("%llu", static_cast<unsigned long long>(raft->commit_index()));
    ImGui::TableNextColumn();
    ImGui::Text("%llu", static_cast<unsigned long long>(raft->last_applied()));
    ImGui::TableNextColumn();
    const float f = timer_fraction(world, id, *raft);
    if (f >= 0) {
      const SimTimeUs left = std::max<SimTimeUs>(0, raft->election_deadline_local_us() - world.local_time_us(id));
      char text[32];
      std::snprintf(text, sizeof text, "%s left", format_duration(left / 100 * 100).c_str());
      ImGui::PushStyleColor(ImGuiCol_PlotHistogram, to_vec4(raft->role() == RaftNode::Role::candidate ? colour::waiting : lerp_colour(colour::text_dim, colour::warning, f * f)));
      ImGui::ProgressBar(f, ImVec2(std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 4), 0), text);
      ImGui::PopStyleColor();
    } else if (raft->is_leader() && node.up && l == raft) {
      // The leader: how far each follower's log is known to match.
      std::string match = "match:";
      for (std::size_t i = 0; i < raft->members().size(); ++i)
        if (raft->members()[i] != id) match += " " + std::to_string(raft->match_index(i));
      ImGui::TextDisabled("%s", match.c_str());
    } else {
      ImGui::TextDisabled("-");
    }
  }
  ImGui::EndTable();
}

void RaftPanel::log_grid(const View& view) {
  const World& world = view.world;
  const float s = view.scale;
  std::uint64_t longest = 0;
  std::vector<NodeId> servers;
  float name_w = 0;
  for (NodeId id = 0; id < world.nodes().size(); ++id) {
    const RaftNode* raft = raft_of(world, id);
    if (raft == nullptr || world.nodes()[id].removed) continue;
    servers.push_back(id);
    longest = std::max(longest, raft->log().last_index());
    name_w = std::max(name_w, ImGui::CalcTextSize(world.nodes()[id].name.c_str()).x);
  }
  ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(colour::text_dim));
  ImGui::TextWrapped("Logs: one cell per entry, coloured by term (the number); solid = committed on that server, faded = not yet; green underline = applied");
  ImGui::PopStyleColor();
  const float cell = std::max(18.0f * s, ImGui::CalcTextSize("999").x + 6 * s);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float avail = ImGui::GetContentRegionAvail().x;
  const float x0 = origin.x + name_w + 10 * s;
  const auto columns = static_cast<std::uint64_t>(std::max(1.0f, std::floor((origin.x + avail - x0) / cell)));
  std::uint64_t first = first_index_ > 0 ? static_cast<std::uint64_t>(first_index_) : (longest > columns ? longest - columns + 1 : 1);
  first = std::max<std::uint64_t>(1, std::min(first, longest > columns ? longest - columns + 1 : 1));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float row_h = cell + 4 * s;
  const float header_h = ImGui::GetTextLineHeight() + 2 * s;
  // index header
  for (std::uint64_t k = 0; k < columns && first + k <= std::max<std::uint64_t>(longest, 1); ++k) {
    const std::uint64_t index = first + k;
    if (index % 5 != 0 && k != 0) continue;
    char text[24];
    std::snprintf(text, sizeof text, "%llu", static_cast<unsigned long long>(index));
    dl->AddText(ImVec2(x0 + static_cast<float>(k) * cell + 2 * s, origin.y), colour::text_faint, text);
  }
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const RaftEntry* hovered = nullptr;
  std::uint64_t hovered_index = 0;
  for (std::size_t row = 0; row < servers.size(); ++row) {
    const NodeId id = servers[row];
    const Node& node = world.nodes()[id];
    const RaftNode& raft = *raft_of(world, id);
    const float y = origin.y + header_h + static_cast<float>(row) * row_h;
    const ImU32 name_col = !node.up ? colour::crashed_mark : raft.is_leader() ? colour::serving : colour::text;
    dl->AddText(ImVec2(origin.x, y + (cell - ImGui::GetTextLineHeight()) * 0.5f), name_col, node.name.c_str());
    for (std::uint64_t k = 0; k < columns; ++k) {
      const std::uint64_t index = first + k;
      const ImVec2 a(x0 + static_cast<float>(k) * cell, y), b(a.x + cell - 2 * s, y + cell);
      if (index > raft.log().last_index()) {
        if (index <= longest) dl->AddRect(a, b, with_alpha(colour::text_faint, 60), 3 * s);
        continue;
      }
      const RaftEntry& e = raft.log().at(index);
      const bool committed = index <= raft.commit_index();
      const ImU32 fill = term_colour(e.term, node.up ? 0.85f : 0.5f);
      dl->AddRectFilled(a, b, with_alpha(fill, committed ? 235 : 80), 3 * s);
      if (committed) dl->AddRect(a, b, with_alpha(colour::select, 90), 3 * s);
      char text[24];
      std::snprintf(text, sizeof text, "%llu", static_cast<unsigned long long>(e.term));
      const ImVec2 ts = ImGui::CalcTextSize(text);
      dl->AddText(ImVec2((a.x + b.x - ts.x) * 0.5f, (a.y + b.y - ts.y) * 0.5f), committed ? colour::canvas_bg : colour::text, text);
      if (index <= raft.last_applied()) dl->AddLine(ImVec2(a.x + 2 * s, b.y + 1.5f * s), ImVec2(b.x - 2 * s, b.y + 1.5f * s), colour::ok, 2.0f * s);
      if (mouse.x >= a.x && mouse.x < b.x && mouse.y >= a.y && mouse.y < b.y) hovered = &e, hovered_index = index;
    }
  }
  ImGui::Dummy(ImVec2(avail, header_h + static_cast<float>(servers.size()) * row_h + 2 * s));
  if (hovered != nullptr) ImGui::SetTooltip("index %llu: %s", static_cast<unsigned long long>(hovered_index), entry_text(world, *hovered).c_str());
  if (longest > columns) {
    int start = first_index_ > 0 ? static_cast<int>(first_index_) : 0;
    ImGui::SetNextItemWidth(std::min(avail, 320 * s));
    if (ImGui::SliderInt("first index shown (0 = follow the end)", &start, 0, static_cast<int>(longest - columns + 1))) first_index_ = start;
  }
}

void RaftPanel::lock_table(const View& view, UiCommands& out) {
  const World& world = view.world;
  NodeId source = current_leader(world);
  if (source == kNoNode) {  // no leader: show the server that applied the most
    std::uint64_t best = 0;
    for (NodeId id = 0; id < world.nodes().size(); ++id)
      if (const RaftNode* r = raft_of(world, id); r != nullptr && r->last_applied() >= best) best = r->last_applied(), source = id;
  }
  const RaftNode* raft = raft_of(world, source);
  if (raft == nullptr) {
    ImGui::TextDisabled("no raft servers");
    return;
  }
  ImGui::TextDisabled("The replicated lock table as %s has applied it (up to index %llu):", view.name_of(source),
                      static_cast<unsigned long long>(raft->last_applied()));
  const LockTable& table = raft->state_machine();
  auto session_owner = [&](std::uint64_t session) -> std::string {
    const auto* s = table.session(session);
    return s == nullptr ? "?" : std::string(view.name_of(s->client)) + " (session " + std::to_string(session) + ")";
  };
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit;
  if (ImGui::BeginTable("##locks", 4, flags)) {
    for (const char* h : {"lock", "holder", "fencing token", "grants"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < table.locks().size(); ++i) {
      const auto& lock = table.locks()[i];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%zu", i);
      ImGui::TableNextColumn();
      if (lock.session == 0) ImGui::TextDisabled("free");
      else ImGui::TextColored(to_vec4(colour::token_gold), "%s", session_owner(lock.session).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%llu", static_cast<unsigned long long>(lock.token));
      ImGui::TableNextColumn();
      ImGui::Text("%llu", static_cast<unsigned long long>(lock.grants));
    }
    ImGui::EndTable();
  }
  std::size_t alive = 0;
  for (const auto& s : table.sessions()) alive += s.alive ? 1 : 0;
  ImGui::Text("Sessions: %zu alive, %zu ended by expire entries", alive, table.sessions().size() - alive);
  ImGui::Spacing();
  ImGui::TextDisabled("Clients (what each believes):");
  if (ImGui::BeginTable("##lock_clients", 5, flags)) {
    for (const char* h : {"client", "state", "session", "token", "acquisitions"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (NodeId id = 0; id < world.nodes().size(); ++id) {
      const auto* client = std::get_if<RaftClient>(&world.nodes()[id].process);
      if (client == nullptr || world.nodes()[id].removed) continue;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(world.nodes()[id].name.c_str());
      ImGui::TableNextColumn();
      if (!world.nodes()[id].up) ImGui::TextColored(to_vec4(colour::crashed_mark), "crashed");
      else if (client->holds()) ImGui::TextColored(to_vec4(colour::token_gold), "%s", client->status().c_str());
      else if (client->session() == 0) ImGui::TextUnformatted("opening a session");
      else if (client->waiting_for_reply()) ImGui::Text("%s, asking %s", lock_phase_name(client->phase()), view.name_of(client->target()));
      else ImGui::TextUnformatted(lock_phase_name(client->phase()));
      ImGui::TableNextColumn();
      ImGui::Text("%llu", static_cast<unsigned long long>(client->session()));
      ImGui::TableNextColumn();
      ImGui::Text("%llu", static_cast<unsigned long long>(client->token()));
      ImGui::TableNextColumn();
      ImGui::Text("%llu", static_cast<unsigned long long>(client->acquisitions()));
    }
    ImGui::EndTable();
  }
  ImGui::TextWrapped(
      "A grant's fencing token is the log index of its acquire entry, so tokens only grow. Sessions end only when a "
      "committed expire entry is applied, on every replica at the same log position. A client trusts its lock for 3/4 "
      "of the session TTL after the last request the service confirmed; it writes to the storage node with its token.");
  if (world_has_locks(world)) {
    ImGui::Spacing();
    ImGui::TextDisabled("Storage: the protected resource");
    lock_view_.write_log(view, out);
  }
}

void RaftPanel::timing(const View& view, UiCommands& out) {
  const World& world = view.world;
  const RaftConfig& c = world.config().raft;
  if (!editing_) {
    election_min_ms_ = static_cast<int>(c.election_timeout_min_us / kUsPerMs);
    election_max_ms_ = static_cast<int>(c.election_timeout_max_us / kUsPerMs);
    heartbeat_ms_ = static_cast<int>(c.heartbeat_us / kUsPerMs);
  }
  auto emit_preset = [&](RaftPreset p) {
    const RaftConfig r = raft_preset(p);
    out.emit(SetParam{"raft.election_timeout_max_us", r.election_timeout_max_us});
    out.emit(SetParam{"raft.election_timeout_min_us", r.election_timeout_min_us});
    out.emit(SetParam{"raft.heartbeat_us", r.heartbeat_us});
  };
  if (ImGui::Button("Paper: 150-300 ms")) emit_preset(RaftPreset::paper);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("The Raft paper's election timeout (section 9.3), heartbeat 50 ms");
  ImGui::SameLine();
  if (ImGui::Button("etcd: 100 ms heartbeat, 1 s election")) emit_preset(RaftPreset::etcd);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("etcd's defaults: --heartbeat-interval=100ms, --election-timeout=1000ms (randomized up to 2x)");
  const float w = std::min(ImGui::GetContentRegionAvail().x * 0.6f, 320 * view.scale);
  bool released = false;
  ImGui::SetNextItemWidth(w);
  ImGui::SliderInt("election timeout min (ms)", &election_min_ms_, 1, 3000);
  editing_ = ImGui::IsItemActive();
  released |= ImGui::IsItemDeactivatedAfterEdit();
  ImGui::SetNextItemWidth(w);
  ImGui::SliderInt("election timeout max (ms)", &election_max_ms_, 1, 6000);
  editing_ |= ImGui::IsItemActive();
  released |= ImGui::IsItemDeactivatedAfterEdit();
  ImGui::SetNextItemWidth(w);
  ImGui::SliderInt("heartbeat (ms)", &heartbeat_ms_, 1, 1000);
  editing_ |= ImGui::IsItemActive();
  released |= ImGui::IsItemDeactivatedAfterEdit();
  if (released) {
    election_max_ms_ = std::max(election_max_ms_, election_min_ms_);
    out.emit(SetParam{"raft.election_timeout_max_us", election_max_ms_ * kUsPerMs});
    out.emit(SetParam{"raft.election_timeout_min_us", election_min_ms_ * kUsPerMs});
    out.emit(SetParam{"raft.heartbeat_us", heartbeat_ms_ * kUsPerMs});
  }
  ImGui::TextDisabled("Network round trip about %s; timeouts apply from each server's next timer reset.",
                      format_duration(typical_round_trip_us(world.network().defaults)).c_str());
  ImGui::Spacing();
  if (ImGui::Button("Figure 16 experiment...")) {
    show_fig16_ = true;
    if (fig16_done_ == 0) fig16_running_ = true;  // the first time: start right away
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The paper's leader-election experiment: downtime after a leader crash for 11 timeout ranges, as CDFs");
}

// ------------------------------------------------------------------ Figure 16

void RaftPanel::fig16_window(const View& view) {
  if (!show_fig16_) return;
  const float s = view.scale;
  const auto& lines = fig16_lines();
  if (fig16_results_.size() != lines.size()) fig16_results_.assign(lines.size(), {});
  // Run trials for up to ~12 ms of this frame, one trial of every line at a time.
  if (fig16_running_) {
    const auto start = std::chrono::steady_clock::now();
    const Fig16Setup setup;
    while (fig16_done_ < static_cast<std::uint32_t>(fig16_trials_)) {
      for (std::size_t i = 0; i < lines.size(); ++i) fig16_results_[i].push_back(run_fig16_trial(setup, lines[i], fig16_done_));
      ++fig16_done_;
      if (std::chrono::steady_clock::now() - start > std::chrono::milliseconds(12)) break;
    }
    if (fig16_done_ >= static_cast<std::uint32_t>(fig16_trials_)) fig16_running_ = false;
  }
  ImGui::SetNextWindowSize(ImVec2(860 * s, 620 * s), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Raft: Figure 16, time without a leader after a crash", &show_fig16_, ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::End();
    return;
  }
  ImGui::SetNextItemWidth(120 * s);
  ImGui::InputInt("trials per line", &fig16_trials_, 100, 100);
  fig16_trials_ = std::clamp(fig16_trials_, 10, 5000);
  ImGui::SameLine();
  if (ImGui::Button(fig16_running_ ? "Running..." : "Run")) {
    fig16_results_.assign(lines.size(), {});
    fig16_done_ = 0;
    fig16_running_ = true;
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%u / %d trials", fig16_done_, fig16_trials_);
  ImGui::TextWrapped(
      "Five servers, broadcast time about 15 ms, heartbeat half the minimum timeout; logs of different lengths; the leader "
      "crashes at a random moment within its heartbeat interval (the paper's section 9.3). Each curve: the fraction of trials "
      "(y) with a new leader within x ms. Same as `dsplay experiment raft-fig16`.");
  // Two plots, as in the paper: randomness in the timeout (top), scaling the timeout (bottom).
  auto plot = [&](const char* title, std::size_t from, std::size_t to, float height) {
    ImGui::TextUnformatted(title);
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x - 215 * s;
    const ImVec2 a(o.x + 40 * s, o.y + 4 * s), b(o.x + 40 * s + std::max(w - 40 * s, 50.0f), o.y + height - 20 * s);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, b, colour::canvas_bg);
    const double lo = std::log10(10.0), hi = std::log10(20000.0);
    auto x_of = [&](double ms) { return a.x + static_cast<float>((std::log10(std::max(ms, 10.0)) - lo) / (hi - lo)) * (b.x - a.x); };
    for (double ms : {10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0, 20000.0}) {
      const float x = x_of(ms);
      dl->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), colour::grid);
      char t[16];
      std::snprintf(t, sizeof t, ms >= 1000 ? "%.0fs" : "%.0f", ms >= 1000 ? ms / 1000 : ms);
      dl->AddText(ImVec2(x - 8 * s, b.y + 2 * s), colour::text_dim, t);
    }
    for (int k = 0; k <= 4; ++k) {
      const float y = b.y - (b.y - a.y) * static_cast<float>(k) / 4.0f;
      dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), colour::grid);
      char t[8];
      std::snprintf(t, sizeof t, "%d%%", k * 25);
      dl->AddText(ImVec2(o.x, y - 7 * s), colour::text_dim, t);
    }
    float legend_y = a.y;
    for (std::size_t i = from; i < to; ++i) {
      std::vector<SimTimeUs> d;
      for (const Fig16Trial& t : fig16_results_[i]) d.push_back(t.downtime_us);
      std::sort(d.begin(), d.end());
      const ImU32 col = member_colour(static_cast<std::uint32_t>(i - from));
      for (std::size_t k = 0; k < d.size(); ++k) {
        const float y0 = b.y - (b.y - a.y) * static_cast<float>(k) / static_cast<float>(d.size());
        const float y1 = b.y - (b.y - a.y) * static_cast<float>(k + 1) / static_cast<float>(d.size());
        const float x = x_of(static_cast<double>(d[k]) / 1000.0);
        const float x_next = k + 1 < d.size() ? x_of(static_cast<double>(d[k + 1]) / 1000.0) : x;
        dl->AddLine(ImVec2(x, y0), ImVec2(x, y1), col, 2.0f * s);
        dl->AddLine(ImVec2(x, y1), ImVec2(x_next, y1), col, 2.0f * s);
      }
      char label[64];
      std::snprintf(label, sizeof label, "%lld-%lld ms", static_cast<long long>(lines[i].timeout_min_us / kUsPerMs),
                    static_cast<long long>(lines[i].timeout_max_us / kUsPerMs));
      dl->AddLine(ImVec2(b.x + 10 * s, legend_y + 7 * s), ImVec2(b.x + 30 * s, legend_y + 7 * s), col, 3.0f * s);
      dl->AddText(ImVec2(b.x + 36 * s, legend_y), colour::text, label);
      if (!d.empty()) {
        const Fig16Result r = summarize_fig16(lines[i], fig16_results_[i]);
        std::snprintf(label, sizeof label, "median %.0f, max %.0f", static_cast<double>(r.median_us) / 1000.0,
                      static_cast<double>(r.max_us) / 1000.0);
        dl->AddText(ImVec2(b.x + 36 * s, legend_y + ImGui::GetTextLineHeight()), colour::text_dim, label);
      }
      legend_y += ImGui::GetTextLineHeight() * 2 + 2 * s;
    }
    ImGui::Dummy(ImVec2(w, height));
  };
  const float h = std::max(160.0f * s, (ImGui::GetContentRegionAvail().y - 2 * ImGui::GetTextLineHeightWithSpacing()) * 0.5f);
  plot("Randomness in the election timeout (ms without a leader, log scale)", 0, 6, h);
  plot("Scaling the minimum election timeout", 6, 11, h);
  ImGui::End();
}

}  // namespace dsplay::ui
