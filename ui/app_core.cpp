// The app behind App (see app_core.hpp): simulation budget, layout, panels, command application.
#include "ui/app_core.hpp"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "core/scenario.hpp"
#include "ui/theme.hpp"
#include "ui/world_helpers.hpp"
#include "core/overloaded.hpp"

namespace dsplay::ui {

namespace {

constexpr ImGuiWindowFlags kPanelFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                         ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
constexpr ImGuiWindowFlags kCanvasFlags = kPanelFlags | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;

bool begin_panel(const char* title, const PanelRect& rect, ImGuiWindowFlags flags) {
  ImGui::SetNextWindowPos(rect.pos, ImGuiCond_Always);
  ImGui::SetNextWindowSize(rect.size, ImGuiCond_Always);
  return ImGui::Begin(title, nullptr, flags);
}
}  // namespace

Layout compute_layout(ImVec2 display, float menu_h, float scale, float ring_share) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float w = std::max(display.x, 200.0f), h = std::max(display.y, 200.0f);
  const float top = menu_h;
  const float right_w = std::clamp(w * 0.26f, std::min(300.0f * scale, w * 0.4f), 480.0f * scale);
  const float main_w = w - right_w;
  const float timeline_h = style.WindowPadding.y * 2 + ImGui::GetFrameHeight() * 2 + style.ItemSpacing.y + 2;
  const float body_h = h - top - timeline_h;
  const float spacetime_h = std::clamp(body_h * 0.32f, std::min(140.0f * scale, body_h * 0.4f), 380.0f * scale);
  const float main_h = body_h - spacetime_h;
  const float cluster_w = std::floor(main_w * (1.0f - std::clamp(ring_share, 0.2f, 0.8f)));
  Layout l;
  l.cluster = {ImVec2(0, top), ImVec2(cluster_w, main_h)};
  l.ring = {ImVec2(cluster_w, top), ImVec2(main_w - cluster_w, main_h)};
  l.timeline = {ImVec2(0, top + main_h), ImVec2(main_w, timeline_h)};
  l.spacetime = {ImVec2(0, top + main_h + timeline_h), ImVec2(main_w, spacetime_h)};
  const float inspector_h = std::floor((h - top) * 0.52f);
  l.inspector = {ImVec2(main_w, top), ImVec2(right_w, inspector_h)};
  l.event_log = {ImVec2(main_w, top + inspector_h), ImVec2(right_w, h - top - inspector_h)};
  return l;
}

AppCore::AppCore(Platform& platform, AppOptions options) : platform_(platform), options_(std::move(options)) {
  if (!(options_.ui_scale > 0.25f && options_.ui_scale < 8.0f)) options_.ui_scale = 1.0f;
  library_.load_embedded();
  lessons_.load_embedded();
  const std::string fragment = platform_.url_fragment();  // read before open() rewrites it
  ScenarioEntry first = library_.initial(options_.scenario_name);
  open(std::move(*first.scenario), first.path);
  read_share_link(fragment);
  start_course(fragment);  // a lesson asked for, or the one the learner was in
}

void AppCore::open(Scenario scenario, std::string source) {
  ui_.speed_x = default_speed_x(scenario);
  session_ = std::make_unique<Session>(std::move(scenario));
  ui_.scenario_source = std::move(source);
  ui_.playing = true;
  ui_.status.clear();
  ++ui_.trace_generation;
  selection_.nodes.clear();
  sim_carry_us_ = 0;
  update_share_link();
}

void AppCore::open_scenario_text(const std::string& source_name, const std::string& json_text) {
  if (detect_document_kind(json_text) != DocumentKind::scenario) {
    open_document(source_name, json_text);  // a lesson or a share file (ui/app_lessons.cpp)
    return;
  }
  if (json_text.empty()) {
    ui_.open_errors = {source_name + ": the file is empty or could not be read"};
    ui_.open_errors_source = source_name;
    return;
  }
  ScenarioParse parsed = parse_scenario(json_text, source_name);
  if (!parsed.scenario) {
    ui_.open_errors = parsed.errors.empty() ? std::vector<std::string>{source_name + ": not a scenario"} : std::move(parsed.errors);
    ui_.open_errors_source = source_name;
    return;
  }
  ui_.open_errors.clear();
  if (lesson_.active()) lesson_.close(*this);
  open(std::move(*parsed.scenario), source_name);
}

// --- share links: "#scenario=<name>&seed=<n>" (web); other platforms return "" and ignore it ---
void AppCore::update_share_link() {
  if (lesson_.active()) {  // a built-in lesson reopens (and resumes) from "#lesson=NAME"
    platform_.set_url_fragment(lesson_.builtin() ? "lesson=" + lesson_.lesson()->name : std::string());
    return;
  }
  const Scenario& scenario = session_->scenario();
  const bool builtin = ui_.scenario_source.empty() || library_.find(ui_.scenario_source) != nullptr;
  if (!builtin) {
    platform_.set_url_fragment("");
    return;
  }
  platform_.set_url_fragment("scenario=" + scenario.name + "&seed=" + std::to_string(session_->world().seed()));
}

void AppCore::read_share_link(const std::string& fragment) {
  if (fragment.empty()) return;
  if (read_course_link(fragment)) return;  // "#share=..." and "#lesson=..." (ui/app_lessons.cpp)
  std::string name, seed_text;
  std::size_t start = fragment[0] == '#' ? 1 : 0;
  while (start < fragment.size()) {
    std::size_t end = fragment.find('&', start);
    if (end == std::string::npos) end = fragment.size();
    const std::string pair = fragment.substr(start, end - start);
    if (pair.rfind("scenario=", 0) == 0) name = pair.substr(9);
    if (pair.rfind("seed=", 0) == 0) seed_text = pair.substr(5);
    start = end + 1;
  }
  if (!name.empty()) {
    if (const ScenarioEntry* e = library_.find(name); e && e->scenario) open(*e->scenario, e->path);
    else if (name == builtin_demo_scenario().name) open(builtin_demo_scenario(), "");
  }
  if (!seed_text.empty() && seed_text.size() < 20 && seed_text.find_first_not_of("0123456789") == std::string::npos) {
    session_->reseed(std::stoull(seed_text));
    ++ui_.trace_generation;
    update_share_link();
  }
}

void AppCore::set_status(std::string text) {
  ui_.status = std::move(text);
  ui_.status_age_s = 0;
}

void AppCore::advance(double wall_dt_s) {
  ui_.sim_limited = false;
  if (!ui_.playing) {
    sim_carry_us_ = 0;
    return;
  }
  const double budget_us = wall_dt_s * ui_.speed_x * 1e6 + sim_carry_us_;
  auto whole_us = static_cast<SimTimeUs>(std::floor(budget_us));
  sim_carry_us_ = budget_us - static_cast<double>(whole_us);
  // A lesson's "Show me" drives the simulation itself, to stop exactly where its solution says.
  if (lesson_.autopilot()) {
    if (whole_us > 0) lesson_.autopilot_advance(*this, whole_us);
    return;
  }
  if (whole_us <= 0) return;
  // Slices, so a frame that cannot simulate its whole budget in time stops early: the sim then
  // runs slower than asked (shown as "CPU limit") instead of freezing the UI.
  const auto start = std::chrono::steady_clock::now();
  const SimTimeUs from_us = session_->world().now_us();
  constexpr int kSlices = 8;
  for (int i = 1; i <= kSlices; ++i) {
    session_->run_until(from_us + whole_us * i / kSlices);
    const double spent_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (i < kSlices && spent_s > kSimBudgetWallS) {
      ui_.sim_limited = true;
      sim_carry_us_ = 0;
      break;
    }
  }
}

void AppCore::step_to_next_delivery() {
  // Bounded (a world with timers but no messages would otherwise spin), and works in the past
  // too: the known future's records are already in the trace.
  const TraceLog& trace = session_->trace();
  for (int guard = 0; guard < 200000; ++guard) {
    const std::size_t before = session_->trace_end();
    if (!session_->step_event()) return;
    const std::size_t after = session_->trace_end();
    for (std::size_t i = before; i < after && i < trace.size(); ++i) {
      if (trace[i].kind == TraceKind::deliver) return;
    }
  }
}

void AppCore::export_trace() {
  const TraceLog& trace = session_->trace();
  const std::size_t end = session_->trace_end();
  std::string text;
  text.reserve(end * 64);
  for (std::size_t i = 0; i < end; ++i) {
    text += format_trace_record(trace[i], node_names_);
    text += '\n';
  }
  platform_.save_file("trace.txt", text);
  set_status("Exported " + std::to_string(end) + " trace records");
}

void AppCore::save_scenario() {
  // The scenario plus the user's commands as script entries, with the current seed: opening the
  // file replays this run (commands land at the same simulated times). Commands the world
  // rejected (their event has a "rejected" record) are left out: they changed nothing.
  Scenario scenario = session_->scenario();
  scenario.config.seed = session_->world().seed();
  const TraceLog& trace = session_->trace();
  std::size_t kept = 0;
  for (const LoggedCommand& c : session_->command_log()) {
    if (c.event > session_->current_event()) continue;
    bool rejected = false;
    for (std::size_t i = first_record_of_event(trace, trace.size(), c.event); i < trace.size() && trace[i].event == c.event; ++i) {
      rejected = rejected || trace[i].kind == TraceKind::rejected;
    }
    if (rejected) continue;
    scenario.script.push_back({c.at_us, c.command});
    ++kept;
  }
  platform_.save_file((scenario.name.empty() ? std::string("scenario") : scenario.name) + ".json", scenario_to_json(scenario));
  set_status("Saved the scenario with " + std::to_string(kept) + " of your commands in its script");
}

namespace {
// "<text><sep><mode>" -> "<text>": a scenario switched twice names only its newest mode.
std::string without_mode_suffix(std::string text, std::string_view before, std::string_view after) {
  for (TokenReelection mode : {TokenReelection::off, TokenReelection::naive, TokenReelection::fenced}) {
    const std::string suffix = std::string(before) + token_reelection_name(mode) + std::string(after);
    if (text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
      text.resize(text.size() - suffix.size());
      break;
    }
  }
  return text;
}
}  // namespace

void AppCore::set_token_reelection(TokenReelection mode) {
  // Re-election needs the standby coordinators from t=0, so the mode is a property of the
  // scenario, not a mid-run switch: reopen the current scenario with it, from the start, with
  // the same seed and scripted faults. Through scenario JSON and open_scenario_text, like a file
  // the user opened, so a share link embeds the changed scenario whole and reproduces it.
  const Scenario& current = session_->scenario();
  const char* mode_name = token_reelection_name(mode);
  if (lesson_.active()) {
    set_status("Rejected: a lesson fixes its scenario; close the lesson to change the coordinator re-election");
    return;
  }
  if (scenario_token_coordinators(current) < kTokenReelectionMinCoordinators) {
    set_status("Rejected: coordinator re-election needs at least " + std::to_string(kTokenReelectionMinCoordinators) +
               " token_coordinator nodes (one coordinates, the others stand by); this scenario has " +
               std::to_string(scenario_token_coordinators(current)));
    return;
  }
  if (session_->world().config().token_lock.reelection == mode) {
    set_status(std::string("Coordinator re-election is already ") + mode_name);
    return;
  }
  Scenario scenario = current;
  scenario.config.seed = session_->world().seed();
  scenario.config.token_lock.reelection = mode;
  const std::string base_name = without_mode_suffix(scenario.name, "-reelection-", "");
  const std::string base_title = without_mode_suffix(scenario.title, " (re-election: ", ")");
  // The description tells the story of the scenario as written; say first that it now runs
  // another mode (a note replaced, not stacked, by the next switch).
  constexpr std::string_view kNoteStart = "[Coordinator re-election switched to ";
  constexpr std::string_view kNoteWritten = " in the lock panel; the text below is the scenario as written, with ";
  std::string base_description = scenario.description;
  std::string written_mode = token_reelection_name(current.config.token_lock.reelection);
  if (base_description.rfind(kNoteStart, 0) == 0) {
    const std::size_t from = base_description.find(kNoteWritten), end = base_description.find(".] ");
    if (from != std::string::npos && end != std::string::npos && end > from) {
      written_mode = base_description.substr(from + kNoteWritten.size(), end - from - kNoteWritten.size());
      base_description.erase(0, end + 3);
    }
  }
  // Back to a built-in scenario exactly (its own mode again): open it as that built-in, so its
  // share link names it.
  std::string source;
  for (const ScenarioEntry& e : library_.entries()) {
    if (!e.scenario || e.scenario->name != base_name) continue;
    Scenario builtin = *e.scenario;
    builtin.config.seed = scenario.config.seed;
    scenario.name = base_name;
    scenario.title = base_title;
    scenario.description = base_description;
    if (scenario == builtin) source = e.path;
    break;
  }
  if (source.empty()) {
    const std::string suffix = std::string("-reelection-") + mode_name;
    scenario.name = base_name.substr(0, 64 - suffix.size()) + suffix;  // scenario names have at most 64 characters
    scenario.title = base_title + " (re-election: " + mode_name + ")";
    scenario.description = base_description;
    if (written_mode != mode_name)
      scenario.description = std::string(kNoteStart) + mode_name + std::string(kNoteWritten) + written_mode + ".] " + base_description;
    source = base_name + " (re-election: " + mode_name + ")";
  }
  const std::string text = scenario_to_json(scenario);
  // Checked here so a failure is a status line and the running session stays (open_scenario_text
  // would show its error window instead).
  ScenarioParse check = parse_scenario(text, source);
  if (!check.scenario) {
    set_status("Rejected: the scenario with re-election " + std::string(mode_name) + " does not parse: " +
               (check.errors.empty() ? std::string("unknown error") : check.errors.front()));
    return;
  }
  const std::size_t dropped = session_->command_log().size();
  open_scenario_text(source, text);
  if (session_->scenario() != *check.scenario) {
    set_status("Rejected: could not reopen the scenario with re-election " + std::string(mode_name));
    return;
  }
  std::string status = std::string("Restarted from 0 s with coordinator re-election ") + mode_name + " (seed " +
                       std::to_string(scenario.config.seed) + ", the scenario's scripted faults kept)";
  if (dropped > 0) status += "; your " + std::to_string(dropped) + " command" + (dropped == 1 ? " was" : "s were") + " dropped";
  set_status(std::move(status));
}

void AppCore::apply_action(const UiAction& action) {
  Session& session = *session_;
  std::visit(Overloaded{
                 [&](const SetPlaying& a) { ui_.playing = a.playing; },
                 [&](const TogglePlaying&) { ui_.playing = !ui_.playing; },
                 [&](const StepEvent&) {
                   ui_.playing = false;
                   session.step_event();
                 },
                 [&](const StepDelivery&) {
                   ui_.playing = false;
                   step_to_next_delivery();
                 },
                 [&](const StepBack&) {
                   ui_.playing = false;
                   if (session.current_event() > 0) session.seek_event(session.current_event() - 1);
                 },
                 [&](const SeekEvent& a) { session.seek_event(a.event); },
                 [&](const SeekTime& a) { session.seek_time(a.time_us); },
                 [&](const SeekPresent&) { session.seek_event(session.known_events()); },
                 [&](const SetSpeed& a) {
                   ui_.speed_x = a.speed_x > 0 ? std::clamp(a.speed_x, kSpeedMinX, kSpeedMaxX) : default_speed_x(session.scenario());
                 },
                 [&](const ScaleSpeed& a) { ui_.speed_x = std::clamp(ui_.speed_x * a.factor, kSpeedMinX, kSpeedMaxX); },
                 [&](const Reseed& a) {
                   session.reseed(a.seed);
                   ++ui_.trace_generation;
                   set_status("Rerunning with seed " + std::to_string(a.seed));
                   update_share_link();
                 },
                 [&](const OpenBuiltin& a) {
                   if (lesson_.active()) lesson_.close(*this);
                   if (a.path.empty()) {
                     open(builtin_demo_scenario(), "");
                   } else if (const ScenarioEntry* e = library_.find(a.path); e && e->scenario) {
                     open(*e->scenario, e->path);
                   }
                 },
                 [&](const RestartScenario&) {
                   if (lesson_.active()) return course_action(CourseAction{CourseAction::Op::start_over, {}, 0, 0});
                   Scenario scenario = session.scenario();
                   std::string source = ui_.scenario_source;
                   open(std::move(scenario), std::move(source));
                 },
                 [&](const SetTokenReelection& a) { set_token_reelection(a.mode); },
                 [&](const ExportTrace&) { export_trace(); },
                 [&](const SaveScenario&) { save_scenario(); },
                 [&](const SelectNode& a) {
                   if (a.node == kNoNode) return;
                   auto& nodes = selection_.nodes;
                   auto it = std::find(nodes.begin(), nodes.end(), a.node);
                   if (a.mode == SelectMode::replace) {
                     nodes = {a.node};
                   } else if (it != nodes.end()) {
                     nodes.erase(it);
                   } else {
                     nodes.push_back(a.node);
                   }
                 },
                 [&](const ClearSelection&) { selection_.nodes.clear(); },
                 [&](const ShowHelp& a) { ui_.show_help = a.show; },
                 [&](const ToggleHelp&) { ui_.show_help = !ui_.show_help; },
                 [&](const ShowNetworkSettings& a) { ui_.show_network_settings = a.show; },
                 [&](const DismissError&) { ui_.open_errors.clear(); },
                 [&](const Quit&) { quit_ = true; },
                 [&](const CourseAction& a) { course_action(a); },
             },
             action);
}

void AppCore::apply(UiCommands& commands) {
  for (auto& item : commands.items) {
    if (const Command* command = std::get_if<Command>(&item)) {
      // Acting in the past forks: the session drops the known future, so cached views rebuild.
      if (session_->in_past()) ++ui_.trace_generation;
      const ApplyResult result = session_->apply(*command);
      lb_compare_.mirror(*command, *session_);  // compare mode: the same command in the second run
      if (!result.ok) set_status("Rejected: " + result.error);
    } else {
      apply_action(std::get<UiAction>(item));
    }
  }
  commands.clear();
}

void AppCore::draw_tabs_with_traces(const char* bar_id, const char* first_tab, const std::function<void()>& draw_first,
                                    const View& view, UiCommands& out) {
  if (!ImGui::BeginTabBar(bar_id)) return;
  if (ImGui::BeginTabItem(first_tab)) {
    draw_first();
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Request traces")) {
    trace_panel_.draw(view, out);
    ImGui::EndTabItem();
  }
  ImGui::EndTabBar();
}

void AppCore::frame(double wall_dt_s) {
  ImGuiIO& io = ImGui::GetIO();
  const float scale = options_.ui_scale;
  if (!style_applied_) {
    apply_style(scale);
    io.IniFilename = nullptr;  // the layout is computed every frame: nothing worth saving
    style_applied_ = true;
  }
  const double dt = std::clamp(std::isfinite(wall_dt_s) ? wall_dt_s : 0.0, 0.0, kMaxFrameWallS);
  wall_time_s_ += dt;
  ui_.status_age_s += dt;
  advance(dt);
  lesson_.update(*this, dt);  // a lesson's gate, "Show me", saved progress
  if (share_fragment_live_ && session_->command_log().size() != shared_log_size_) {
    share_fragment_live_ = false;  // the run moved on from the shared one
    update_share_link();
  }
  refresh_lesson_done(dt);
  lb_compare_.sync(*session_);  // compare mode's second run follows this one's clock

  const World& world = session_->world();
  node_names_ = world.node_names();
  ring_members_of_nodes(world, ring_members_);
  // A rewind can go back before a node existed: drop such ids from the selection.
  std::erase_if(selection_.nodes, [&](NodeId id) { return id >= world.nodes().size(); });

  View frame_view{*session_, world, node_names_, ring_members_, selection_, ui_, library_, scale, wall_time_s_};
  frame_view.lessons = &lessons_;
  frame_view.lesson = &lesson_;
  frame_view.lesson_steps_done = &lesson_done_;
  const View& view = frame_view;
  UiCommands out;
  const bool presenting = lesson_.presenting();  // presentation: no menu bar, no side panels
  if (!presenting) shortcuts_.draw(view, out);
  lesson_.keys(view, out);
  const float menu_h = presenting ? 0.0f : menu_bar_.draw(view, out, std::string_view(platform_.name()) == "desktop");
  // Scenarios without cache nodes leave the ring empty: give the cluster more of the row.
  bool ring_used = !world.ring().members().empty();
  for (const Node& node : world.nodes()) ring_used = ring_used || node.role == NodeRole::cache_client;
  // The lock panel takes the ring view's place when the ring, Raft and balancing leave it free.
  const bool lock_panel = !ring_used && !world.lb() && !world_has_raft(world) && world_has_locks(world);
  const float ring_share = world_has_raft(world) ? 0.56f : ring_used || world.lb() || lock_panel ? 0.5f : 0.36f;
  PanelRect lesson_rect{};
  // A lesson on a scenario with nothing on the ring gives the ring's room to the cluster (0).
  const bool ring_slot_used = ring_used || world.lb() || world_has_raft(world) || lock_panel;
  const Layout layout = lesson_.active() ? lesson_layout(io.DisplaySize, menu_h, scale, ring_slot_used ? ring_share : 0.0f, presenting, lesson_rect)
                                         : compute_layout(io.DisplaySize, menu_h, scale, ring_share);
  // Presentation: the main views in larger type too (Fonts[1]), for the back of the room.
  if (presenting && io.Fonts->Fonts.Size > 1) ImGui::PushFont(io.Fonts->Fonts[1]);

  if (world.lb() != nullptr) {
    draw_balancing(view, out, layout);  // balancer, metrics (and compare mode's panels)
  } else {
    const bool legend = cluster_view_.show_legend;
    if (presenting) cluster_view_.show_legend = false;  // the lecturer explains; the picture stays clear
    if (begin_panel("Cluster", layout.cluster, kCanvasFlags)) cluster_view_.draw(view, out);
    ImGui::End();
    if (presenting) cluster_view_.show_legend = legend;
    if (layout.ring.size.x > 0) {  // (a lesson's layout may leave no room for it)
      if (world_has_raft(world)) {  // the Raft panel takes the ring view's place
        if (begin_panel("Raft", layout.ring, kPanelFlags)) raft_panel_.draw(view, out);
      } else if (lock_panel) {
        if (begin_panel("Locks", layout.ring, kPanelFlags)) lock_panel_.draw(view, out);
      } else if (begin_panel("Hash ring", layout.ring, kCanvasFlags)) {
        ring_view_.draw(view, out);
      }
      ImGui::End();
    }
  }
  if (begin_panel("Timeline", layout.timeline, kCanvasFlags | ImGuiWindowFlags_NoTitleBar)) timeline_.draw(view, out);
  ImGui::End();
  if (presenting && io.Fonts->Fonts.Size > 1) ImGui::PopFont();
  if (!presenting) {
    if (!lb_compare_.active() && world.lb() == nullptr) {  // compare mode: overlaid metrics; balancing: monitoring
      if (begin_panel("Space-time diagram", layout.spacetime, kCanvasFlags)) {
        draw_tabs_with_traces("##spacetime_tabs", "Space-time", [&] { spacetime_.draw(view, out); }, view, out);
      }
      ImGui::End();
    }
    if (begin_panel("Inspector", layout.inspector, kPanelFlags)) inspector_.draw(view, out);
    ImGui::End();
    if (auto trace = trace_panel_.take_event_log_filter()) event_log_.filter_by_trace(*trace);
    if (begin_panel("Event log", layout.event_log, kCanvasFlags)) event_log_.draw(view, out);
    ImGui::End();
  }
  draw_course(view, out, layout, lesson_rect);  // the lesson panel, its highlights, the share window

  // A short-lived status line (rejected commands, saves) over the bottom of the cluster view.
  if (!ui_.status.empty() && ui_.status_age_s < 6.0) {
    const float alpha = static_cast<float>(std::clamp(6.0 - ui_.status_age_s, 0.0, 1.0));
    ImGui::SetNextWindowPos(ImVec2(layout.cluster.pos.x + layout.cluster.size.x - 8 * scale, layout.cluster.pos.y + layout.cluster.size.y - 8 * scale),
                            ImGuiCond_Always, ImVec2(1.0f, 1.0f));
    ImGui::SetNextWindowBgAlpha(0.9f * alpha);
    ImGui::PushStyleVar(ImGuiStyleVar_Alpha, alpha);
    if (ImGui::Begin("##status", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                                               ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoInputs)) {
      const bool bad = ui_.status.rfind("Rejected", 0) == 0;
      ImGui::PushTextWrapPos(std::max(200.0f * scale, layout.cluster.size.x - 24 * scale));  // stays over the cluster view
      ImGui::TextColored(to_vec4(bad ? colour::warning : colour::text), "%s", ui_.status.c_str());
      ImGui::PopTextWrapPos();
    }
    ImGui::End();
    ImGui::PopStyleVar();
  }

  network_settings_.draw(view, out);
  help_.draw(view, out);
  error_panel_.draw(view, out);

  apply(out);
}

}  // namespace dsplay::ui
