// The lessons and sharing part of the app (see app_core.hpp): opening files by content (scenario,
// lesson or share file), the course at start-up (a #share= or #lesson= link, AppOptions'
// lesson, or the lesson the learner was in), share links and share files, the lesson panel's
// place in the layout (and presentation mode's), its highlights, and the LessonHost services the
// lesson player uses.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "core/scenario.hpp"
#include "ui/app_core.hpp"
#include "ui/theme.hpp"

namespace dsplay::ui {

namespace {
constexpr ImGuiWindowFlags kLessonFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                          ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                          ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
}  // namespace

Layout lesson_layout(ImVec2 display, float menu_h, float scale, float ring_share, bool presenting, PanelRect& lesson) {
  const float w = std::max(display.x, 200.0f), h = std::max(display.y, 200.0f);
  // ring_share 0: the scenario has nothing on the ring, so its panel gives its room to the cluster.
  const bool no_ring = ring_share <= 0.0f;
  if (!presenting) {
    // The narration column on the left (read first), the usual panels to its right.
    const float lesson_w = std::floor(std::clamp(w * 0.27f, std::min(330 * scale, w * 0.45f), 520 * scale));
    lesson = {ImVec2(0, menu_h), ImVec2(lesson_w, h - menu_h)};
    Layout l = compute_layout(ImVec2(w - lesson_w, h), menu_h, scale, no_ring ? 0.5f : ring_share);
    for (PanelRect* r : {&l.cluster, &l.ring, &l.timeline, &l.spacetime, &l.inspector, &l.event_log}) r->pos.x += lesson_w;
    if (no_ring) {
      l.cluster.size.x += l.ring.size.x;
      l.ring = PanelRect{ImVec2(0, 0), ImVec2(0, 0)};
    }
    return l;
  }
  // Presentation: narration on the left in large type, the picture on the right with the
  // timeline under it; the space-time diagram, inspector and event log are hidden.
  const float lesson_w = std::floor(w * 0.46f);
  lesson = {ImVec2(0, menu_h), ImVec2(lesson_w, h - menu_h)};
  Layout l = compute_layout(ImVec2(w - lesson_w, h), menu_h, scale, ring_share);
  const float timeline_h = l.timeline.size.y;
  const float main_w = w - lesson_w, main_h = h - menu_h - timeline_h;
  const float cluster_w = no_ring ? main_w : std::floor(main_w * (1.0f - std::clamp(ring_share, 0.2f, 0.8f)));
  l.cluster = {ImVec2(lesson_w, menu_h), ImVec2(cluster_w, main_h)};
  l.ring = {ImVec2(lesson_w + cluster_w, menu_h), ImVec2(main_w - cluster_w, main_h)};
  l.timeline = {ImVec2(lesson_w, menu_h + main_h), ImVec2(main_w, timeline_h)};
  l.spacetime = l.inspector = l.event_log = PanelRect{ImVec2(0, 0), ImVec2(0, 0)};
  return l;
}

// ------------------------------------------------------------------ LessonHost

Session& AppCore::host_session() { return *session_; }
void AppCore::host_open(Scenario scenario, std::string source) { open(std::move(scenario), std::move(source)); }
void AppCore::host_adopt(std::unique_ptr<Session> session, std::string source) {
  ui_.speed_x = default_speed_x(session->scenario());
  session_ = std::move(session);
  ui_.scenario_source = std::move(source);
  ui_.playing = false;
  ++ui_.trace_generation;
  selection_.nodes.clear();
  sim_carry_us_ = 0;
  update_share_link();
}
void AppCore::host_set_playing(bool playing) { ui_.playing = playing; }
void AppCore::host_set_speed(double speed_x) { ui_.speed_x = std::clamp(speed_x, kSpeedMinX, kSpeedMaxX); }
void AppCore::host_status(std::string text) { set_status(std::move(text)); }
void AppCore::host_trace_changed() { ++ui_.trace_generation; }
Platform& AppCore::host_platform() { return platform_; }

// ------------------------------------------------------------------ opening

void AppCore::show_open_error(const std::string& source, std::vector<std::string> errors) {
  ui_.open_errors = std::move(errors);
  ui_.open_errors_source = source;
}

void AppCore::open_document(const std::string& source_name, const std::string& text) {
  if (text.empty()) {
    show_open_error(source_name, {source_name + ": the file is empty or could not be read"});
    return;
  }
  switch (detect_document_kind(text)) {
    case DocumentKind::lesson: {
      LessonParse parsed = parse_user_lesson(text, source_name);
      if (!parsed.lesson) {
        show_open_error(source_name, parsed.errors.empty() ? std::vector<std::string>{source_name + ": not a lesson"} : std::move(parsed.errors));
        return;
      }
      ui_.open_errors.clear();
      open_lesson(std::move(*parsed.lesson), source_name, false, text, false);
      return;
    }
    case DocumentKind::share: {
      std::string error;
      auto share = parse_share_file(text, error);
      if (!share) {
        show_open_error(source_name, {source_name + ": " + error});
        return;
      }
      open_share(*share, source_name);
      return;
    }
    case DocumentKind::scenario: {
      ScenarioParse parsed = parse_scenario(text, source_name);
      if (!parsed.scenario) {
        show_open_error(source_name, parsed.errors.empty() ? std::vector<std::string>{source_name + ": not a scenario"} : std::move(parsed.errors));
        return;
      }
      ui_.open_errors.clear();
      if (lesson_.active()) lesson_.close(*this);
      open(std::move(*parsed.scenario), source_name);
      return;
    }
  }
}

void AppCore::open_lesson(Lesson lesson, std::string source, bool builtin, std::string text, bool resume) {
  if (lesson_.active()) lesson_.close(*this);
  lesson_.start(*this, std::move(lesson), std::move(source), builtin, std::move(text), resume);
  if (options_.presentation && !lesson_.presenting()) {  // asked for at start (--present, ?present)
    options_.presentation = false;
    lesson_.handle(*this, CourseAction{CourseAction::Op::toggle_presentation, {}, 0, 0});
  }
  update_share_link();
  lesson_done_age_s_ = 1e9;
}

void AppCore::open_share(const ShareState& share, const std::string& source) {
  std::optional<Lesson> lesson;
  std::optional<Scenario> scenario;
  std::string lesson_source, lesson_text;
  bool builtin = false;
  if (!share.lesson.empty()) {
    const LessonEntry* e = lessons_.find(share.lesson);
    if (!e || !e->lesson) {
      show_open_error(source, {"The link names the lesson \"" + share.lesson + "\", which this version of dsplay does not have."});
      return;
    }
    lesson = *e->lesson;
    lesson_source = e->path;
    builtin = true;
  } else if (!share.lesson_json.empty()) {
    LessonParse parsed = parse_user_lesson(share.lesson_json, share.title.empty() ? "shared lesson" : share.title);
    if (!parsed.lesson) {
      show_open_error(source, parsed.errors);
      return;
    }
    lesson = std::move(parsed.lesson);
    lesson_source = share.title;
    lesson_text = share.lesson_json;
  } else if (!share.scenario.empty()) {
    if (const ScenarioEntry* e = library_.find(share.scenario); e && e->scenario) {
      scenario = *e->scenario;
      lesson_source = e->path;
    } else if (share.scenario == builtin_demo_scenario().name) {
      scenario = builtin_demo_scenario();
    } else {
      show_open_error(source, {"The link names the scenario \"" + share.scenario + "\", which this version of dsplay does not have."});
      return;
    }
  } else {
    ScenarioParse parsed = parse_scenario(share.scenario_json, "shared scenario");
    if (!parsed.scenario) {
      show_open_error(source, parsed.errors);
      return;
    }
    scenario = std::move(parsed.scenario);
    lesson_source = share.title.empty() ? std::string("shared scenario") : share.title;
  }
  const Scenario& base = lesson ? lesson->scenario : *scenario;
  ShareRebuild rebuilt = rebuild_shared_run(base, share);
  if (!rebuilt.session) {
    show_open_error(source, {"The shared run could not be rebuilt: " + rebuilt.error + "."});
    return;
  }
  ui_.open_errors.clear();
  if (lesson_.active()) lesson_.close(*this);
  if (lesson) {
    host_adopt(std::move(rebuilt.session), builtin ? lesson_source : std::string());
    lesson_.start_shared(*this, std::move(*lesson), lesson_source, builtin, lesson_text, share.step, share.step_event);
    if (options_.presentation && !lesson_.presenting()) {
      options_.presentation = false;
      lesson_.handle(*this, CourseAction{CourseAction::Op::toggle_presentation, {}, 0, 0});
    }
    update_share_link();
  } else {
    host_adopt(std::move(rebuilt.session), lesson_source);
  }
  // The URL keeps the link until the run changes (see frame()).
  shared_log_size_ = session_->command_log().size();
  share_fragment_live_ = source == "share link";
  if (share_fragment_live_) platform_.set_url_fragment(std::string("share=") + encode_share_link(share, share_error_).value_or(""));
  char hash[24];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(session_->world().trace_hash()));
  set_status(rebuilt.hash_matches ? "Opened the shared run: identical to the original (trace " + std::string(hash).substr(0, 8) + ")"
                                  : "Opened the shared run, but it differs from the original: it was made by another version of dsplay");
}

bool AppCore::read_course_link(const std::string& fragment_in) {
  std::string fragment = fragment_in;
  if (!fragment.empty() && fragment[0] == '#') fragment.erase(0, 1);
  if (fragment.rfind("share=", 0) == 0) {
    std::string error;
    auto share = decode_share_link(fragment, error);
    if (!share) {
      show_open_error("Share link", {error});
      return true;
    }
    open_share(*share, "share link");
    return true;
  }
  if (fragment.rfind("lesson=", 0) == 0) {
    const std::string name = fragment.substr(7, fragment.find('&') == std::string::npos ? std::string::npos : fragment.find('&') - 7);
    if (const LessonEntry* e = lessons_.find(name); e && e->lesson) {
      open_lesson(*e->lesson, e->path, true, {}, true);
    } else {
      show_open_error("Link", {"The link names the lesson \"" + name + "\", which this version of dsplay does not have."});
    }
    return true;
  }
  return false;
}

void AppCore::start_course(const std::string& fragment) {
  if (lesson_.active() || !ui_.open_errors.empty()) return;  // a link opened one, or failed visibly
  if (!options_.lesson_name.empty()) {
    if (const LessonEntry* e = lessons_.find(options_.lesson_name); e && e->lesson) {
      open_lesson(*e->lesson, e->path, true, {}, true);
    } else {
      show_open_error(options_.lesson_name, {"There is no built-in lesson named \"" + options_.lesson_name + "\" (see the Lessons menu)."});
    }
    return;
  }
  // Nothing asked for: resume the lesson the learner was in, if any.
  if (fragment.empty() && options_.scenario_name.empty()) {
    const std::string current = platform_.load_setting("lesson:current");
    if (const LessonEntry* e = current.empty() ? nullptr : lessons_.find(current); e && e->lesson) open_lesson(*e->lesson, e->path, true, {}, true);
  }
}

// ------------------------------------------------------------------ sharing

std::optional<ShareState> AppCore::current_share(bool for_file) {
  ShareState s = capture_share(*session_);
  const Scenario& scenario = session_->scenario();
  if (lesson_.active()) {
    s.title = lesson_.lesson()->title;
    if (lesson_.builtin()) s.lesson = lesson_.lesson()->name;
    else if (!lesson_.lesson_text().empty()) s.lesson_json = lesson_.lesson_text();
    else s.scenario_json = scenario_to_json(lesson_.lesson()->scenario);
    lesson_.fill_share(s);
    if (!s.lesson_json.empty() && !for_file) {
      // A user's lesson rarely fits a link: try, else share its scenario and run only.
      std::string error;
      if (!encode_share_link(s, error)) {
        s.lesson_json.clear();
        s.scenario_json = scenario_to_json(lesson_.lesson()->scenario);
        s.step = -1;
        s.step_event = 0;
      }
    }
    return s;
  }
  s.title = scenario.title;
  const bool builtin = library_.find(ui_.scenario_source) != nullptr;
  if (builtin) s.scenario = scenario.name;
  else if (ui_.scenario_source.empty() && scenario.name == builtin_demo_scenario().name) s.scenario = scenario.name;
  else s.scenario_json = scenario_to_json(scenario);
  return s;
}

void AppCore::make_share_link() {
  share_error_.clear();
  share_link_.clear();
  const auto share = current_share(false);
  if (!share) return;
  if (auto link = encode_share_link(*share, share_error_)) {
    share_link_ = "share=" + *link;
    platform_.set_url_fragment(share_link_);
    share_fragment_live_ = true;
    shared_log_size_ = session_->command_log().size();
    ImGui::SetClipboardText(("#" + share_link_).c_str());
  }
  show_share_ = true;
}

void AppCore::save_share_file() {
  const auto share = current_share(true);
  if (!share) return;
  platform_.save_file("dsplay-share.json", share_file_text(*share));
  set_status("Saved the run as dsplay-share.json: open it in dsplay to replay it exactly");
}

void AppCore::course_action(const CourseAction& a) {
  using Op = CourseAction::Op;
  switch (a.op) {
    case Op::open_lesson: {
      const LessonEntry* e = lessons_.find(a.path);
      if (e && e->lesson) open_lesson(*e->lesson, e->path, true, {}, true);
      break;
    }
    case Op::start_over:
      if (lesson_.active()) {
        Lesson lesson = *lesson_.lesson();
        const std::string source = lesson_.source(), text = lesson_.lesson_text();
        const bool builtin = lesson_.builtin(), presenting = lesson_.presenting();
        open_lesson(std::move(lesson), source, builtin, text, false);
        if (presenting) lesson_.handle(*this, CourseAction{Op::toggle_presentation, {}, 0, 0});
      }
      break;
    case Op::close_lesson:
      lesson_.close(*this);
      update_share_link();
      break;
    case Op::share_link: make_share_link(); break;
    case Op::share_file: save_share_file(); break;
    case Op::dismiss_share: show_share_ = false; break;
    case Op::open_file:
      if (!platform_.open_file_picker())
        set_status("Drop a lesson or scenario file (.json) onto the window, or pass it on the command line: dsplay_desktop --lesson FILE");
      break;
    default: lesson_.handle(*this, a); break;
  }
}

// ------------------------------------------------------------------ drawing

void AppCore::draw_course(const View& view, UiCommands& out, const Layout& layout, const PanelRect& lesson_rect) {
  if (lesson_.active()) {
    ImGui::SetNextWindowPos(lesson_rect.pos, ImGuiCond_Always);
    ImGui::SetNextWindowSize(lesson_rect.size, ImGuiCond_Always);
    const float pad = (lesson_.presenting() ? 22.0f : 12.0f) * options_.ui_scale;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(pad, pad * 0.8f));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, to_vec4(IM_COL32(19, 23, 31, 255)));
    if (ImGui::Begin("Lesson###lesson_panel", nullptr, kLessonFlags)) lesson_.draw_panel(view, out);
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar();

    HighlightTargets targets;
    auto rect = [](const PanelRect& r) { return HighlightTargets::Rect{r.pos, r.size}; };
    targets.panels = {{"cluster", rect(layout.cluster)},     {"balancer", rect(layout.cluster)},   {"ring", rect(layout.ring)},
                      {"timeline", rect(layout.timeline)},   {"spacetime", rect(layout.spacetime)}, {"inspector", rect(layout.inspector)},
                      {"event_log", rect(layout.event_log)}, {"metrics", rect(layout.ring)},       {"raft", rect(layout.ring)},       {"locks", rect(layout.ring)},       {"monitoring", rect(layout.spacetime)},
                      {"lesson", rect(lesson_rect)}};
    if (view.world.lb() == nullptr) {
      targets.node_pos = &cluster_view_.node_positions();
      targets.node_visible = &cluster_view_.node_visible();
      targets.node_r = cluster_view_.node_radius();
      const RingView::Geometry& g = ring_view_.geometry();
      targets.ring_valid = g.valid && layout.ring.size.x > 0;
      targets.ring_center = g.center;
      targets.ring_r_in = g.r_in;
      targets.ring_r_out = g.r_out;
    }
    lesson_.draw_highlights(view, targets);
  }

  // The share window: the link (selectable, already in the clipboard and the address bar).
  if (show_share_) {
    const float s = options_.ui_scale;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.3f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(640 * s, vp->WorkSize.x - 40), 0), ImGuiCond_Always);
    bool open = true;
    if (ImGui::Begin("Share this run", &open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoResize)) {
      ImGui::PushTextWrapPos(0.0f);
      if (!share_error_.empty()) {
        ImGui::TextColored(to_vec4(colour::warning), "No link: %s.", share_error_.c_str());
        if (ImGui::Button("Save a share file instead")) out.act(CourseAction{CourseAction::Op::share_file, {}, 0, 0});
      } else {
        ImGui::TextUnformatted("Anyone who opens this link gets exactly this run: the same lesson or scenario, seed and commands, "
                               "so the same trace, in the browser or the desktop app.");
        const bool web = std::string_view(platform_.name()) == "web";
        ImGui::TextColored(to_vec4(colour::text_dim), "%s",
                           web ? "The address bar holds the link now, and it is in the clipboard. Add it to this page's address:"
                               : "Paste it after the web app's address (it is in the clipboard), or save a share file:");
        std::string text = "#" + share_link_;
        ImGui::SetNextItemWidth(-1);
        ImGui::InputText("##link", text.data(), text.size() + 1, ImGuiInputTextFlags_ReadOnly | ImGuiInputTextFlags_AutoSelectAll);
        ImGui::TextColored(to_vec4(colour::text_dim), "%zu characters, %zu commands", share_link_.size(), session_->command_log().size());
        if (ImGui::Button("Copy")) ImGui::SetClipboardText(text.c_str());
        ImGui::SameLine();
        if (ImGui::Button("Save a share file")) out.act(CourseAction{CourseAction::Op::share_file, {}, 0, 0});
      }
      ImGui::PopTextWrapPos();
    }
    ImGui::End();
    if (!open) out.act(CourseAction{CourseAction::Op::dismiss_share, {}, 0, 0});
  }
}

void AppCore::refresh_lesson_done(double dt) {
  lesson_done_age_s_ += dt;
  if (lesson_done_age_s_ < 1.0 && lesson_done_.size() == lessons_.entries().size()) return;
  lesson_done_age_s_ = 0;
  lesson_done_.assign(lessons_.entries().size(), -1);
  for (std::size_t i = 0; i < lessons_.entries().size(); ++i) {
    const LessonEntry& e = lessons_.entries()[i];
    if (e.lesson) lesson_done_[i] = LessonPlayer::saved_steps_done(platform_, e.lesson->name);
  }
}

}  // namespace dsplay::ui
