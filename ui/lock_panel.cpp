// The lock panel (see lock_panel.hpp).
#include "ui/lock_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "ui/lesson_player.hpp"
#include "ui/theme.hpp"
#include "ui/world_helpers.hpp"

namespace dsplay::ui {

namespace {

constexpr const char* kCheck = "\xe2\x9c\x93";  // ✓
constexpr const char* kCross = "\xe2\x9c\x97";  // ✗

bool is_lock_violation(const Violation& v) {
  return std::strcmp(v.what, "two holders") == 0 || std::strcmp(v.what, "stale write accepted") == 0 ||
         std::strcmp(v.what, "lock stuck forever") == 0;
}

// What each cause event of a rule is (docs/LOCKS.md, "The checker").
const char* cause_label(const Violation& v, int i) {
  if (std::strcmp(v.what, "two holders") == 0) {
    static const char* const labels[] = {"first holder's grant", "second holder's grant", ""};
    return labels[i];
  }
  if (std::strcmp(v.what, "stale write accepted") == 0) {
    static const char* const labels[] = {"stale writer's grant", "newer holder's write", "the stale write"};
    return labels[i];
  }
  static const char* const labels[] = {"key set, no TTL", "owner crashed", ""};
  return labels[i];
}

std::string seconds(SimTimeUs us) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", static_cast<double>(us) / 1e6);
  return text;
}

// A countdown bar: `left` of `total`, with its text on it; red when run out.
void countdown(SimTimeUs left_us, SimTimeUs total_us, float width, const char* suffix = "") {
  const float fraction = total_us > 0 ? std::clamp(static_cast<float>(left_us) / static_cast<float>(total_us), 0.0f, 1.0f) : 0.0f;
  char text[64];
  if (left_us > 0) std::snprintf(text, sizeof text, "%s%s", seconds(left_us).c_str(), suffix);
  else std::snprintf(text, sizeof text, "expired %s ago", seconds(-left_us).c_str());
  const ImU32 col = left_us <= 0 ? colour::danger : fraction < 0.25f ? colour::warning : colour::ok;
  ImGui::PushStyleColor(ImGuiCol_PlotHistogram, to_vec4(col));
  ImGui::ProgressBar(left_us > 0 ? fraction : 1.0f, ImVec2(width, 0), text);
  ImGui::PopStyleColor();
}

template <class P>
const P* process_at(const World& world, NodeId id) {
  return std::get_if<P>(&world.nodes()[id].process);
}

// The lock-client part every lock client shares (phase, critical sections, writes).
struct ClientRow {
  LockPhase phase = LockPhase::idle;
  std::uint64_t entries = 0;
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  bool valid = false;
};
ClientRow client_row(const Process& process) {
  return std::visit(
      [](const auto& p) -> ClientRow {
        if constexpr (requires { p.phase(); p.entries(); p.writes_accepted(); }) {
          return {p.phase(), p.entries(), p.writes_accepted(), p.writes_rejected(), true};
        } else {
          return {};
        }
      },
      process);
}

// A full lease, for the countdown bars: the session timeout for queue clients, else the TTL.
SimTimeUs lease_length(const World& world, const Node& node) {
  const LocksConfig& locks = world.config().locks;
  return node.role == NodeRole::queue_client ? locks.session_timeout_us : locks.ttl_us;
}

bool begin_table(const char* id, int columns) {
  return ImGui::BeginTable(id, columns, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV);
}

}  // namespace

bool world_has_locks(const World& world) {
  for (const Node& n : world.nodes())
    if (!n.removed && (is_lock_client(n.role) || n.role == NodeRole::storage)) return true;
  return false;
}

void LockPanel::draw(const View& view, UiCommands& out) {
  violations(view, out);
  holders(view, out);
  ImGui::Spacing();
  if (ImGui::CollapsingHeader("Lock service", ImGuiTreeNodeFlags_DefaultOpen)) {
    reelection(view, out);
    services(view, out);
  }
  if (ImGui::CollapsingHeader("Clients", ImGuiTreeNodeFlags_DefaultOpen)) clients(view, out);
  if (ImGui::CollapsingHeader("Storage: the protected resource", ImGuiTreeNodeFlags_DefaultOpen)) write_log(view, out);
  if (ImGui::CollapsingHeader("Try the fixes")) switches(view, out);
}

void LockPanel::violations(const View& view, UiCommands& out) {
  const auto& list = view.world.violations();
  int shown = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Violation& v = list[i];
    if (!is_lock_violation(v)) continue;
    if (shown++ >= 4) {
      ImGui::TextDisabled("... more in the Inspector");
      break;
    }
    char text[160];
    std::snprintf(text, sizeof text, "VIOLATION: %s: %s%s%s at %s", v.what, view.name_of(v.node), v.peer != kNoNode ? " & " : "",
                  v.peer != kNoNode ? view.name_of(v.peer) : "", seconds(v.time_us).c_str());
    banner(text, colour::danger_bg, colour::text);
    ImGui::PushID(static_cast<int>(i));
    ImGui::PushStyleColor(ImGuiCol_Button, to_vec4(with_alpha(colour::danger, 150)));
    if (ImGui::SmallButton("go to it")) {
      out.act(SetPlaying{false});
      out.act(SeekEvent{v.event});
    }
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("event #%llu: the checker saw it here", static_cast<unsigned long long>(v.event));
    for (int c = 0; c < 3; ++c) {
      if (v.causes[c] == 0) continue;
      char label[96];
      std::snprintf(label, sizeof label, "%s (#%llu)", cause_label(v, c), static_cast<unsigned long long>(v.causes[c]));
      // on this line if it fits, else on the next
      const float w = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetStyle().ItemSpacing.x;
      ImGui::SameLine();
      if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
      if (ImGui::SmallButton(label)) {
        out.act(SetPlaying{false});
        out.act(SeekEvent{v.causes[c]});
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("a cause: jump to event #%llu (also marked on the space-time diagram)",
                                                    static_cast<unsigned long long>(v.causes[c]));
    }
    ImGui::PopID();
  }
  if (shown > 0) ImGui::Spacing();
}

void LockPanel::holders(const View& view, UiCommands& out) {
  const World& world = view.world;
  int valid = 0, holding = 0;
  for (NodeId id = 0; id < world.nodes().size(); ++id) {
    const Node& node = world.nodes()[id];
    if (!node.up || node.removed) continue;
    const CriticalSection cs = critical_section_of(node.process);
    if (!cs.inside) continue;
    ++holding;
    const bool lease = cs.lease_until_mono_us != kSimTimeMaxUs;
    const SimTimeUs left = lease ? cs.lease_until_mono_us - world.monotonic_time_us(id) : 0;
    if (!lease || left > 0) ++valid;
    ImGui::PushID(static_cast<int>(id));
    ImGui::TextColored(to_vec4(colour::token_gold), "%s", node.name.c_str());
    if (ImGui::IsItemClicked()) out.act(SelectNode{id});
    ImGui::SameLine();
    ImGui::TextDisabled("holds the lock%s", node.paused ? " (paused)" : "");
    if (cs.token != 0) {
      ImGui::SameLine();
      ImGui::TextColored(to_vec4(colour::accent), "token %llu", static_cast<unsigned long long>(cs.token));
    }
    ImGui::SameLine();
    if (!lease) {
      ImGui::TextDisabled("\xc2\xb7 no lease: until it lets go");
    } else {
      countdown(left, lease_length(world, node), ImGui::GetContentRegionAvail().x, " of lease (its clock)");
    }
    if (lease && left <= 0) {
      ImGui::TextColored(to_vec4(colour::warning), "   its lease has run out, but it does not know: a write now is stale");
    }
    ImGui::PopID();
  }
  if (holding == 0) ImGui::TextDisabled("Nobody holds the lock.");
  if (valid >= 2) banner("TWO CLIENTS HOLD THE LOCK, both within their leases", colour::danger_bg, colour::text);
}

void LockPanel::reelection(const View& view, UiCommands& out) {
  const World& world = view.world;
  bool token = false;
  for (const Node& n : world.nodes()) token = token || (!n.removed && n.role == NodeRole::token_coordinator);
  if (!token) return;
  // Shown, greyed out, for a single coordinator too: it tells the learner that the way out of the
  // single point of failure is standby coordinators, and what re-election then needs.
  const int coordinators = scenario_token_coordinators(view.session.scenario());
  const bool in_lesson = view.lesson != nullptr && view.lesson->active();
  const bool enough = coordinators >= kTokenReelectionMinCoordinators;
  const int current = static_cast<int>(world.config().token_lock.reelection);
  static const char* const tips[] = {
      "off: no standby takes over; while the coordinator is down or cut off, nobody grants the token",
      "naive: the standbys elect a new coordinator (bully: highest live id wins); the old one may keep granting \xe2\x86\x92 split brain",
      "fenced: a majority elects the new coordinator and its epoch (term) fences the old one: no second holder",
  };
  ImGui::PushID("reelection");
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Coordinator re-election:");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Choosing a mode restarts the run from 0 s with it (same seed, same scripted faults)");
  ImGui::BeginDisabled(!enough || in_lesson);
  for (int i = 0; i < 3; ++i) {
    ImGui::SameLine();
    if (ImGui::RadioButton(token_reelection_name(static_cast<TokenReelection>(i)), current == i) && current != i) out.act(SetTokenReelection{static_cast<TokenReelection>(i)});
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tips[i]);
  }
  ImGui::EndDisabled();
  if (!enough) {
    // On its own line, wrapped: the panel is narrow and this is the sentence that teaches.
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Re-election needs \xe2\x89\xa5 %d token_coordinator nodes: one coordinates, the others stand by to take "
                        "over. This scenario has %d (see token_reelection).",
                        kTokenReelectionMinCoordinators, coordinators);
    ImGui::PopTextWrapPos();
  } else {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", in_lesson ? "(fixed by the lesson)" : "(restarts the run)");
  }
  ImGui::PopID();
}

void LockPanel::services(const View& view, UiCommands&) {
  const World& world = view.world;
  const float bar_w = 150 * view.scale;
  bool any_redis = false;
  for (NodeId id = 0; id < world.nodes().size(); ++id) {
    const Node& node = world.nodes()[id];
    if (node.removed) continue;
    ImGui::PushID(static_cast<int>(id));
    if (const auto* c = process_at<TokenCoordinator>(world, id)) {
      std::string queue;
      for (NodeId q : c->queue()) queue += (queue.empty() ? "" : ", ") + std::string(view.name_of(q));
      ImGui::Text("%s", node.name.c_str());
      ImGui::SameLine();
      if (world.config().token_lock.reelection != TokenReelection::off) {
        // Re-election: who coordinates, in which term (epochs of a fenced term read t<term>.<grant>).
        ImGui::SameLine();
        if (node.up && c->coordinating())
          ImGui::TextColored(to_vec4(colour::token_gold), "COORDINATOR, term %llu", static_cast<unsigned long long>(c->term()));
        else
          ImGui::TextDisabled("%s, term %llu", c->role() == TokenCoordinator::Role::candidate ? "candidate" : "standby",
                              static_cast<unsigned long long>(c->term()));
        ImGui::SameLine();
      }
      ImGui::TextDisabled("token coordinator%s: holder %s, epoch %s, queue [%s]", node.up ? "" : " (DOWN)",
                          c->holder() == kNoNode ? "-" : view.name_of(c->holder()), token_epoch_text(c->epoch()).c_str(),
                          queue.c_str());
    } else if (const auto* t = process_at<TicketCoordinator>(world, id)) {
      ImGui::Text("%s", node.name.c_str());
      ImGui::SameLine();
      ImGui::TextDisabled("ticket coordinator%s: now serving %llu (%s), next ticket %llu", node.up ? "" : " (DOWN)",
                          static_cast<unsigned long long>(t->holder().ticket),
                          t->holder().ticket ? view.name_of(t->holder().client) : "nobody",
                          static_cast<unsigned long long>(t->next_ticket()));
      if (!t->queue().empty() && begin_table("##tickets", 3)) {
        ImGui::TableSetupColumn("ticket");
        ImGui::TableSetupColumn("client");
        ImGui::TableSetupColumn("waiting for");
        ImGui::TableHeadersRow();
        for (const TicketEntry& e : t->queue()) {
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          ImGui::Text("%llu", static_cast<unsigned long long>(e.ticket));
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(view.name_of(e.client));
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(seconds(world.now_us() - e.issued_us).c_str());
        }
        ImGui::EndTable();
      }
    } else if (const auto* zk = process_at<CoordService>(world, id)) {
      const bool herd = world.config().locks.queue_watch == QueueWatch::herd;
      ImGui::Text("%s", node.name.c_str());
      ImGui::SameLine();
      ImGui::TextDisabled("coordination service%s, waiters watch %s", node.up ? "" : " (DOWN)",
                          herd ? "EVERYTHING (herd)" : "their predecessor");
      // the herd-effect counter
      const double per_release =
          zk->releases() ? static_cast<double>(zk->wakeups_on_release()) / static_cast<double>(zk->releases()) : 0.0;
      ImGui::TextColored(to_vec4(per_release > 1.5 ? colour::warning : colour::ok), "wake-ups per release: %.2f", per_release);
      ImGui::SameLine();
      ImGui::TextDisabled("(last release woke %llu; %llu releases, %llu wake-ups in all)",
                          static_cast<unsigned long long>(zk->last_release_wakeups()), static_cast<unsigned long long>(zk->releases()),
                          static_cast<unsigned long long>(zk->wakeups()));
      if (begin_table("##entries", 4)) {
        ImGui::TableSetupColumn("/lock entry");
        ImGui::TableSetupColumn("client");
        ImGui::TableSetupColumn("watched by");
        ImGui::TableSetupColumn("session expires in (service clock)");
        ImGui::TableHeadersRow();
        const SimTimeUs mono = world.monotonic_time_us(id);
        for (std::size_t i = 0; i < zk->entries().size(); ++i) {
          const ZkEntryState& e = zk->entries()[i];
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          if (i == 0) ImGui::TextColored(to_vec4(colour::token_gold), "entry-%llu (lowest)", static_cast<unsigned long long>(e.seq));
          else ImGui::Text("entry-%llu", static_cast<unsigned long long>(e.seq));
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(view.name_of(e.client));
          ImGui::TableNextColumn();
          std::string watchers;
          for (const ZkWatchState& w : zk->watches())
            if (!w.child && w.seq == e.seq) watchers += (watchers.empty() ? "" : ", ") + std::string(view.name_of(w.client));
          ImGui::TextUnformatted(watchers.empty() ? "-" : watchers.c_str());
          ImGui::TableNextColumn();
          for (const ZkSessionState& s : zk->sessions()) {
            if (s.id != e.session) continue;
            countdown(zk->session_timeout_us() - (mono - s.last_heard_mono_us), zk->session_timeout_us(), bar_w);
          }
        }
        ImGui::EndTable();
      }
      std::size_t child_watches = 0;
      for (const ZkWatchState& w : zk->watches()) child_watches += w.child ? 1 : 0;
      if (child_watches) ImGui::TextDisabled("%zu clients watch the whole /lock list: any change wakes them all", child_watches);
    } else if (process_at<RedisServer>(world, id) != nullptr) {
      any_redis = true;
    }
    ImGui::PopID();
  }
  if (!any_redis || !begin_table("##redis", 5)) return;
  ImGui::TableSetupColumn("Redis");
  ImGui::TableSetupColumn("key lock");
  ImGui::TableSetupColumn("set by");
  ImGui::TableSetupColumn("TTL left (server clock)");
  ImGui::TableSetupColumn("fence");
  ImGui::TableHeadersRow();
  for (NodeId id = 0; id < world.nodes().size(); ++id) {
    const Node& node = world.nodes()[id];
    const auto* r = process_at<RedisServer>(world, id);
    if (r == nullptr || node.removed) continue;
    ImGui::PushID(static_cast<int>(id));
    const SimTimeUs local = world.local_time_us(id);
    const bool held = node.up && r->has_lock(local);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(node.name.c_str());
    if (!node.up) {
      ImGui::SameLine();
      ImGui::TextColored(to_vec4(colour::crashed_mark), "down");
    }
    ImGui::TableNextColumn();
    if (held) ImGui::Text("%llu", static_cast<unsigned long long>(r->lock_value()));
    else ImGui::TextDisabled("(nil)");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(held ? view.name_of(r->lock_owner()) : "");
    ImGui::TableNextColumn();
    if (held && r->lock_expire_at_local_us() == RedisServer::kNoExpiry) {
      ImGui::TextColored(to_vec4(colour::danger), "NO TTL: held until someone deletes it");
    } else if (held) {
      countdown(r->lock_expire_at_local_us() - local, world.config().locks.ttl_us, bar_w);
    }
    ImGui::TableNextColumn();
    ImGui::Text("%llu", static_cast<unsigned long long>(r->fence()));
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void LockPanel::clients(const View& view, UiCommands& out) {
  const World& world = view.world;
  if (!begin_table("##clients", 6)) return;
  ImGui::TableSetupColumn("client");
  ImGui::TableSetupColumn("phase");
  ImGui::TableSetupColumn("token");
  ImGui::TableSetupColumn("lease left (own clock)");
  ImGui::TableSetupColumn("held / writes ok / refused");
  ImGui::TableSetupColumn("");
  ImGui::TableHeadersRow();
  const float bar_w = 130 * view.scale;
  for (NodeId id = 0; id < world.nodes().size(); ++id) {
    const Node& node = world.nodes()[id];
    if (node.removed) continue;
    const ClientRow row = client_row(node.process);
    if (!row.valid) continue;
    const CriticalSection cs = node.up ? critical_section_of(node.process) : CriticalSection{};
    ImGui::PushID(static_cast<int>(id));
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const ImU32 name_col = !node.up ? colour::crashed_mark : cs.inside ? colour::token_gold : colour::text;
    const float stripe_x = ImGui::GetCursorScreenPos().x;  // a stripe in the holder's colour, left of the name
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + 6 * view.scale);
    if (ImGui::Selectable(node.name.c_str(), view.selection.contains(id), ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap))
      out.act(SelectNode{id});
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(stripe_x, ImGui::GetItemRectMin().y),
                                              ImVec2(stripe_x + 3 * view.scale, ImGui::GetItemRectMax().y), name_col);
    ImGui::TableNextColumn();
    if (!node.up) ImGui::TextColored(to_vec4(colour::crashed_mark), "crashed");
    else if (node.paused) ImGui::TextColored(to_vec4(colour::paused), "paused (%s)", lock_phase_name(row.phase));
    else ImGui::TextUnformatted(lock_phase_name(row.phase));
    ImGui::TableNextColumn();
    if (cs.inside && cs.token && node.role == NodeRole::token_client) ImGui::Text("%s", token_epoch_text(cs.token).c_str());
    else if (cs.inside && cs.token) ImGui::Text("%llu", static_cast<unsigned long long>(cs.token));
    else ImGui::TextDisabled("-");
    ImGui::TableNextColumn();
    if (cs.inside && cs.lease_until_mono_us != kSimTimeMaxUs)
      countdown(cs.lease_until_mono_us - world.monotonic_time_us(id), lease_length(world, node), bar_w);
    else if (cs.inside) ImGui::TextDisabled("no lease");
    ImGui::TableNextColumn();
    ImGui::Text("%llu / %llu / ", static_cast<unsigned long long>(row.entries), static_cast<unsigned long long>(row.accepted));
    ImGui::SameLine(0, 0);
    if (row.rejected) ImGui::TextColored(to_vec4(colour::warning), "%llu", static_cast<unsigned long long>(row.rejected));
    else ImGui::TextDisabled("0");
    ImGui::TableNextColumn();
    if (const auto* q = process_at<QueueLockClient>(world, id); q && q->seq()) {
      ImGui::TextDisabled("entry-%llu%s", static_cast<unsigned long long>(q->seq()),
                          q->watching() ? (" watches entry-" + std::to_string(q->watching())).c_str() : "");
    } else if (const auto* t = process_at<TicketClient>(world, id); t && t->ticket()) {
      ImGui::TextDisabled("ticket %llu", static_cast<unsigned long long>(t->ticket()));
    } else if (const auto* rl = process_at<RedlockClient>(world, id); rl && rl->nodes()) {
      ImGui::TextDisabled("%u of %u said yes", rl->granted(), rl->nodes());
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void LockPanel::write_log(const View& view, UiCommands& out) {
  const World& world = view.world;
  const StorageNode* storage = nullptr;
  NodeId storage_id = kNoNode;
  for (NodeId id = 0; id < world.nodes().size() && storage == nullptr; ++id)
    if (!world.nodes()[id].removed && (storage = process_at<StorageNode>(world, id)) != nullptr) storage_id = id;
  if (storage == nullptr) {
    ImGui::TextDisabled("No storage node: the clients have nothing to write to.");
    return;
  }
  ImGui::Text("%s", view.name_of(storage_id));
  ImGui::SameLine();
  if (storage->fenced()) ImGui::TextColored(to_vec4(colour::ok), "fenced: refuses tokens below %llu", static_cast<unsigned long long>(storage->highest_token()));
  else ImGui::TextColored(to_vec4(colour::warning), "not fenced: accepts every write");
  ImGui::SameLine();
  ImGui::TextDisabled("\xc2\xb7 %llu accepted, %llu refused", static_cast<unsigned long long>(storage->accepted()),
                      static_cast<unsigned long long>(storage->rejected()));
  const std::uint64_t stale = world.mutex_checker().stale_writes();
  if (stale) {
    ImGui::SameLine();
    ImGui::TextColored(to_vec4(colour::danger), "\xc2\xb7 %llu stale write%s accepted", static_cast<unsigned long long>(stale), stale == 1 ? "" : "s");
  }
  const float rows_h = ImGui::GetTextLineHeightWithSpacing() * 9;
  if (ImGui::BeginTable("##writes", 5, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY, ImVec2(0, rows_h))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#");
    ImGui::TableSetupColumn("time");
    ImGui::TableSetupColumn("client");
    ImGui::TableSetupColumn("token");
    ImGui::TableSetupColumn("result (click: go to the event)");
    ImGui::TableHeadersRow();
    const std::size_t n = storage->log_size();
    for (std::size_t i = 0; i < n; ++i) {
      const StorageWriteRecord& w = storage->log_at(i);
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      char number[24];
      std::snprintf(number, sizeof number, "%llu", static_cast<unsigned long long>(w.number));
      if (ImGui::Selectable(number, false, ImGuiSelectableFlags_SpanAllColumns)) {
        out.act(SetPlaying{false});
        out.act(SeekEvent{w.event});
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(seconds(w.time_us).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(view.name_of(w.client));
      ImGui::TableNextColumn();
      ImGui::Text("%llu", static_cast<unsigned long long>(w.token));
      ImGui::TableNextColumn();
      if (w.accepted) ImGui::TextColored(to_vec4(colour::ok), "%s accepted", kCheck);
      else ImGui::TextColored(to_vec4(colour::danger), "%s REJECTED (stale token)", kCross);
      ImGui::PopID();
    }
    if (follow_log_ && ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 1) ImGui::SetScrollHereY(1.0f);
    ImGui::EndTable();
  }
}

void LockPanel::switches(const View& view, UiCommands& out) {
  const World& world = view.world;
  const LocksConfig& locks = world.config().locks;
  bool redis_clients = false, queue_clients = false, storage = false, token = false, redlock = false;
  for (const Node& n : world.nodes()) {
    redis_clients = redis_clients || n.role == NodeRole::redis_client;
    queue_clients = queue_clients || n.role == NodeRole::queue_client;
    storage = storage || n.role == NodeRole::storage;
    token = token || n.role == NodeRole::token_coordinator;
    redlock = redlock || n.role == NodeRole::redlock_client;
  }
  ImGui::TextDisabled("Changes apply from the next acquisition on (a command in the log: rewind to undo).");
  if (redis_clients) {
    static const char* const variants[] = {"naive: SETNX + EXPIRE, DEL", "atomic: SET NX PX, compare-and-delete",
                                           "fenced: atomic + fencing token"};
    int v = static_cast<int>(locks.redis_variant);
    ImGui::SetNextItemWidth(280 * view.scale);
    if (ImGui::Combo("Redis lock", &v, variants, 3)) out.emit(SetParam{"locks.redis_variant", v});
  }
  if (queue_clients) {
    static const char* const watches[] = {"watch the predecessor", "watch everything (herd)"};
    int w = static_cast<int>(locks.queue_watch);
    ImGui::SetNextItemWidth(280 * view.scale);
    if (ImGui::Combo("Queue lock", &w, watches, 2)) out.emit(SetParam{"locks.queue_watch", w});
  }
  if (storage) {
    bool fenced = locks.storage_fenced;
    if (ImGui::Checkbox("Storage rejects stale tokens (fencing)", &fenced)) out.emit(SetParam{"locks.storage_fenced", fenced ? 1 : 0});
  }
  if (redlock) {
    bool fenced = locks.redlock_fenced;
    if (ImGui::Checkbox("Redlock grants carry a token", &fenced)) out.emit(SetParam{"locks.redlock_fenced", fenced ? 1 : 0});
  }
  if (token) {
    bool durable = world.config().token_lock.durable;
    if (ImGui::Checkbox("Token coordinator keeps its state on disk", &durable)) out.emit(SetParam{"token.durable", durable ? 1 : 0});
  }
}

}  // namespace dsplay::ui
