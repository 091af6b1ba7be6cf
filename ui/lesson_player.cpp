// The lesson player (see lesson_player.hpp): step logic, progress, the narration panel, the
// highlights and the Lessons / Share menus.
#include "ui/lesson_player.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/lesson_play.hpp"
#include "core/world_stats.hpp"
#include "ui/lesson_library.hpp"
#include "ui/rich_text.hpp"
#include "ui/theme.hpp"

namespace dsplay::ui {

namespace {

constexpr float kPi = 3.14159265358979f;

std::string progress_key(const std::string& lesson_name) { return "lesson:" + lesson_name; }

std::string number_text(double v) {
  char buffer[32];
  if (v == std::floor(v) && std::fabs(v) < 1e12) std::snprintf(buffer, sizeof buffer, "%.0f", v);
  else std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return buffer;
}

std::string hex(std::uint64_t v) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(v));
  return buffer;
}

ImFont* font_at(int index) {
  ImGuiIO& io = ImGui::GetIO();
  return io.Fonts->Fonts.Size > index ? io.Fonts->Fonts[index] : ImGui::GetFont();
}

bool key_pressed(ImGuiKey key) {
  const int index = ImGui::GetKeyIndex(key);
  return index >= 0 && ImGui::IsKeyPressed(index, false);
}

// A button that fills `width`, with an accent look for the main action.
bool wide_button(const char* label, float width, bool primary, bool enabled = true) {
  if (!enabled) ImGui::BeginDisabled();
  if (primary && enabled) {
    ImGui::PushStyleColor(ImGuiCol_Button, to_vec4(IM_COL32(46, 104, 176, 255)));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, to_vec4(IM_COL32(60, 126, 206, 255)));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, to_vec4(IM_COL32(76, 146, 230, 255)));
  }
  const bool pressed = ImGui::Button(label, ImVec2(width, 0));
  if (primary && enabled) ImGui::PopStyleColor(3);
  if (!enabled) ImGui::EndDisabled();
  return pressed && enabled;
}

// A rounded box behind a group of widgets: drawn after the contents with a channel split.
struct Box {
  ImDrawList* dl;
  ImVec2 start;
  float width;
  ImU32 bg, border;
  float pad;
  Box(float w, ImU32 background, ImU32 outline, float padding)
      : dl(ImGui::GetWindowDrawList()), start(ImGui::GetCursorScreenPos()), width(w), bg(background), border(outline), pad(padding) {
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    ImGui::SetCursorScreenPos(ImVec2(start.x + pad, start.y + pad));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - 2 * pad);
  }
  float inner() const { return width - 2 * pad; }
  ~Box() {
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    const float bottom = ImGui::GetItemRectMax().y + pad;
    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(start, ImVec2(start.x + width, bottom), bg, 6.0f);
    if (border) dl->AddRect(start, ImVec2(start.x + width, bottom), border, 6.0f, 0, 1.5f);
    dl->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(start.x, bottom));
    ImGui::Dummy(ImVec2(width, 0));
  }
};

}  // namespace

// ------------------------------------------------------------------ state

bool LessonPlayer::revealed(std::size_t index) const {
  if (!lesson_ || index >= lesson_->steps.size() || !lesson_->steps[index].question) return false;
  const StepProgress& p = steps_[index];
  if (p.presented) return true;
  if (!p.answered) return false;
  const Question& q = *lesson_->steps[index].question;
  return q.reveal == Question::Reveal::on_answer || p.gate_met || !lesson_->steps[index].gate;
}

bool LessonPlayer::can_go_next() const { return active() && !finished_ && next_blocker().empty(); }

std::string LessonPlayer::next_blocker() const {
  if (!lesson_) return "no lesson";
  const LessonStep& step = lesson_->steps[step_];
  const StepProgress& p = steps_[step_];
  if (step.question && !p.answered && !p.presented) return "Answer the question first";
  if (step.gate && !p.gate_met) return "Reach the goal first (or press Show me)";
  return {};
}

ConditionContext LessonPlayer::context(const Session& session, std::vector<LoggedCommand>& since) const {
  since.clear();
  const std::uint64_t from = steps_.empty() ? 0 : steps_[step_].start_event;
  for (const LoggedCommand& c : session.command_log())
    if (c.event > from && c.event <= session.current_event()) since.push_back(c);
  return ConditionContext{session.world(), start_world_ ? *start_world_ : session.world(), &since};
}

bool LessonPlayer::gate_now(const Session& session) const {
  if (!lesson_ || !lesson_->steps[step_].gate) return false;
  std::vector<LoggedCommand> since;
  return evaluate(*lesson_->steps[step_].gate, context(session, since));
}

void LessonPlayer::apply_step_settings(LessonHost& host) {
  const LessonStep& step = lesson_->steps[step_];
  if (step.speed) host.host_set_speed(*step.speed);
  if (step.play) host.host_set_playing(*step.play);
}

void LessonPlayer::enter_step(LessonHost& host, std::size_t index, bool revisit) {
  Session& session = host.host_session();
  autopilot_.reset();
  command_notes_.clear();
  finished_ = false;
  StepProgress& p = steps_[index];
  if (revisit && p.visited) {
    // Back (or Next over ground already covered): return to where that step began, if the
    // timeline still holds it (the learner may have acted in the past since and forked it).
    session.seek_event(p.start_event);
    if (session.current_event() == p.start_event && session.world().trace_hash() == p.start_hash) {
      step_ = index;
      start_world_ = session.world();
      apply_step_settings(host);
      mark_dirty();
      return;
    }
  }
  if (session.in_past()) host.host_trace_changed();  // the step's commands fork the timeline
  step_ = index;
  const std::vector<std::string> rejected = run_actions(session, lesson_->steps[index].commands, nullptr, nullptr, 0);
  for (const std::string& r : rejected) command_notes_.push_back("Could not run: " + r);
  if (!lesson_->steps[index].commands.empty()) host.host_trace_changed();
  p.visited = true;
  p.gate_met = false;
  p.start_event = session.current_event();
  p.start_hash = session.world().trace_hash();
  start_world_ = session.world();
  apply_step_settings(host);
  mark_dirty();
}

void LessonPlayer::next(LessonHost& host) {
  if (!can_go_next()) return;
  if (step_ + 1 >= lesson_->steps.size()) {
    finished_ = true;
    autopilot_.reset();
    mark_dirty();
    save(host);
    return;
  }
  const bool revisit = steps_[step_ + 1].visited;
  enter_step(host, step_ + 1, revisit);
}

void LessonPlayer::back(LessonHost& host) {
  if (finished_) {
    finished_ = false;
    return;
  }
  if (step_ == 0) return;
  enter_step(host, step_ - 1, true);
}

void LessonPlayer::reset_step(LessonHost& host) {
  Session& session = host.host_session();
  StepProgress& p = steps_[step_];
  autopilot_.reset();
  session.seek_event(p.start_event);
  if (session.current_event() != p.start_event || session.world().trace_hash() != p.start_hash) {
    // The timeline no longer holds the step's start (cannot happen unless the run was replaced):
    // enter it afresh here.
    enter_step(host, step_, false);
    return;
  }
  session.discard_future();
  host.host_trace_changed();
  start_world_ = session.world();
  p.gate_met = false;
  apply_step_settings(host);
  host.host_status("Back to the start of this step");
  mark_dirty();
}

void LessonPlayer::answer(LessonHost& host, int choice, double value, bool numeric) {
  const LessonStep& step = lesson_->steps[step_];
  if (!step.question) return;
  StepProgress& p = steps_[step_];
  if (p.answered) return;
  const Question& q = *step.question;
  if (numeric != (q.kind == Question::Kind::numeric)) return;
  if (!numeric && (choice < 0 || static_cast<std::size_t>(choice) >= q.choices.size())) return;
  if (numeric && !std::isfinite(value)) return;
  p.answered = true;
  p.choice = choice;
  p.value = value;
  p.correct = numeric ? q.grade_number(value) : q.grade_choice(static_cast<std::uint32_t>(choice));
  if (!revealed(step_)) host.host_status("Prediction noted: now make it happen and see");
  mark_dirty();
}

void LessonPlayer::start(LessonHost& host, Lesson lesson, std::string source, bool builtin, std::string text, bool resume) {
  lesson_ = std::move(lesson);
  source_ = std::move(source);
  builtin_ = builtin;
  text_ = std::move(text);
  steps_.assign(lesson_->steps.size(), StepProgress{});
  step_ = 0;
  finished_ = false;
  autopilot_.reset();
  std::snprintf(number_input_, sizeof number_input_, "%s", "");
  if (resume && load(host)) return;
  host.host_open(lesson_->scenario, builtin_ ? source_ : std::string());
  saved_log_size_ = 0;
  enter_step(host, 0, false);
  if (builtin_) host.host_platform().store_setting("lesson:current", lesson_->name);
  save(host);
}

void LessonPlayer::start_shared(LessonHost& host, Lesson lesson, std::string source, bool builtin, std::string text, std::int32_t step,
                                std::uint64_t step_event) {
  lesson_ = std::move(lesson);
  source_ = std::move(source);
  builtin_ = builtin;
  text_ = std::move(text);
  steps_.assign(lesson_->steps.size(), StepProgress{});
  finished_ = false;
  autopilot_.reset();
  Session& session = host.host_session();
  step_ = static_cast<std::size_t>(std::clamp<std::int32_t>(step, 0, static_cast<std::int32_t>(lesson_->steps.size()) - 1));
  for (std::size_t i = 0; i < step_; ++i) steps_[i].visited = steps_[i].gate_met = true;
  // The step began at step_event: record it so "Reset this step" returns there.
  const std::uint64_t now_event = session.current_event();
  const SimTimeUs now_us = session.world().now_us();
  session.seek_event(step_event);
  StepProgress& p = steps_[step_];
  p.visited = true;
  p.start_event = session.current_event();
  p.start_hash = session.world().trace_hash();
  start_world_ = session.world();
  session.seek_event(now_event);
  session.advance_to(now_event, now_us);
  saved_log_size_ = session.command_log().size();
  mark_dirty();
}

void LessonPlayer::close(LessonHost& host) {
  if (lesson_) save(host);
  if (builtin_) host.host_platform().store_setting("lesson:current", "");
  lesson_.reset();
  steps_.clear();
  start_world_.reset();
  autopilot_.reset();
  presenting_ = false;
  finished_ = false;
}

void LessonPlayer::handle(LessonHost& host, const CourseAction& a) {
  using Op = CourseAction::Op;
  if (!lesson_) {
    if (a.op == Op::toggle_presentation) host.host_status("Presentation mode needs a lesson: open one from the Lessons menu");
    return;
  }
  switch (a.op) {
    case Op::next: next(host); break;
    case Op::back: back(host); break;
    case Op::go_to_step:
      if (a.index >= 0 && static_cast<std::size_t>(a.index) < steps_.size() && steps_[static_cast<std::size_t>(a.index)].visited)
        enter_step(host, static_cast<std::size_t>(a.index), true);
      break;
    case Op::advance: {
      const LessonStep& step = lesson_->steps[step_];
      StepProgress& p = steps_[step_];
      if (finished_) break;
      if (step.question && !p.answered && !p.presented) {
        p.presented = true;  // the lecturer reveals; the audience's votes are not graded here
        mark_dirty();
      } else if (step.gate && !p.gate_met) {
        if (!autopilot_) handle(host, CourseAction{Op::show_me, {}, 0, 0});
      } else {
        next(host);
      }
      break;
    }
    case Op::reset_step: reset_step(host); break;
    case Op::answer_choice: answer(host, a.index, 0, false); break;
    case Op::answer_number: answer(host, -1, a.value, true); break;
    case Op::show_me: {
      const LessonStep& step = lesson_->steps[step_];
      if (step.solution.empty()) {
        host.host_status("This step has nothing to show: explore freely");
        break;
      }
      if (host.host_session().in_past()) host.host_trace_changed();
      autopilot_ = Autopilot{step.solution, 0, std::nullopt, std::nullopt};
      host.host_set_playing(true);
      host.host_status("Showing the step's solution…");
      break;
    }
    case Op::toggle_presentation: presenting_ = !presenting_; break;
    default: break;
  }
}

void LessonPlayer::autopilot_advance(LessonHost& host, SimTimeUs budget_us) {
  Session& session = host.host_session();
  for (int guard = 0; autopilot_ && guard < 256; ++guard) {
    Autopilot& ap = *autopilot_;
    if (ap.next >= ap.actions.size()) {
      autopilot_.reset();
      host.host_set_playing(false);
      host.host_status("That was the solution: go on when you are ready");
      break;
    }
    const LessonAction& action = ap.actions[ap.next];
    const SimTimeUs now = session.world().now_us();
    if (action.kind == LessonAction::Kind::command) {
      const Command command = resolve_command_refs(action.command, session.world());
      if (session.in_past()) host.host_trace_changed();
      const ApplyResult result = session.apply(command);
      if (!result.ok) host.host_status("Rejected: " + result.error);
      ++ap.next;
      continue;
    }
    if (!ap.target_us) {
      ap.target_us = action.kind == LessonAction::Kind::run_until ? action.time_us : now + action.time_us;
      if (session.in_past()) host.host_trace_changed();  // running on from the past forks like acting would
      session.discard_future();
    }
    const SimTimeUs target = *ap.target_us;
    const SimTimeUs limit = std::min(target, now + std::max<SimTimeUs>(budget_us, 0));
    if (action.kind == LessonAction::Kind::wait || action.kind == LessonAction::Kind::until) {
      // Event by event: stop right after the event that meets the gate (or the action's condition).
      if (action.kind == LessonAction::Kind::until && !ap.until_start) ap.until_start = session.world();
      auto holds = [&] {
        if (action.kind == LessonAction::Kind::wait) return gate_now(session);
        std::vector<LoggedCommand> since;
        ConditionContext ctx = context(session, since);
        return evaluate(action.until.front(), ConditionContext{ctx.now, *ap.until_start, ctx.commands_since_step});
      };
      bool met = holds();
      while (!met && session.step_event(limit)) met = holds();
      if (!met) session.run_until(limit);
      budget_us -= session.world().now_us() - now;
      if (!met && session.world().now_us() < target) break;  // the frame's budget is spent
    } else {
      session.run_until(limit);
      budget_us -= session.world().now_us() - now;
      if (session.world().now_us() < target) break;
    }
    ap.target_us.reset();
    ap.until_start.reset();
    ++ap.next;
  }
}

void LessonPlayer::update(LessonHost& host, double wall_dt_s) {
  if (!lesson_) return;
  Session& session = host.host_session();
  const LessonStep& step = lesson_->steps[step_];
  StepProgress& p = steps_[step_];
  autopilot_advance(host, 0);  // commands due now (a run waits for the simulation's budget)

  // The gate, latched once met.
  gate_live_ = false;
  gate_lines_.clear();
  if (step.gate) {
    std::vector<LoggedCommand> since;
    const ConditionContext ctx = context(session, since);
    gate_lines_ = condition_status(*step.gate, ctx);
    gate_live_ = !gate_lines_.empty() && gate_lines_.front().met;
    if (gate_live_ && !p.gate_met) {
      // The moment the goal is reached is the one to look at: pause there (Space plays on).
      p.gate_met = true;
      if (!autopilot_) host.host_set_playing(false);  // ("Show me" pauses when its solution ends)
      mark_dirty();
      host.host_status(step.question ? "Goal reached: see how your prediction did" : "Goal reached: go on when you are ready");
    }
  }

  // Progress: after a change, and when the learner acted, at most every two seconds.
  since_save_s_ += wall_dt_s;
  if (session.command_log().size() != saved_log_size_) dirty_ = true;
  if (dirty_ && since_save_s_ > 2.0) save(host);
}

// ------------------------------------------------------------------ progress

void LessonPlayer::fill_share(ShareState& share) const {
  if (!lesson_ || steps_.empty()) return;
  share.step = static_cast<std::int32_t>(step_);
  share.step_event = steps_[step_].start_event;
}

void LessonPlayer::save(LessonHost& host) {
  if (!lesson_) return;
  dirty_ = false;
  since_save_s_ = 0;
  Session& session = host.host_session();
  saved_log_size_ = session.command_log().size();
  if (!builtin_) return;  // a user's lesson file: nothing to key its progress by reliably
  nlohmann::json j;
  j["step"] = step_;
  j["finished"] = finished_;
  nlohmann::json list = nlohmann::json::array();
  for (const StepProgress& p : steps_) {
    list.push_back({{"visited", p.visited}, {"gate_met", p.gate_met}, {"answered", p.answered}, {"presented", p.presented},
                    {"choice", p.choice}, {"value", p.value}, {"correct", p.correct}, {"start_event", p.start_event},
                    {"start_hash", hex(p.start_hash)}});
  }
  j["steps"] = list;
  ShareState share = capture_share(session);
  share.lesson = lesson_->name;
  fill_share(share);
  j["run"] = share_payload_json(share);
  host.host_platform().store_setting(progress_key(lesson_->name), j.dump());
}

bool LessonPlayer::load(LessonHost& host) {
  const std::string text = host.host_platform().load_setting(progress_key(lesson_->name));
  if (text.empty()) return false;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("steps") || !j["steps"].is_array() || !j.contains("run") || !j["run"].is_string()) return false;
  if (j["steps"].size() != steps_.size()) return false;  // the lesson changed since: start over
  std::string error;
  const auto share = parse_share_payload(j["run"].get<std::string>(), error);
  if (!share) return false;
  ShareRebuild rebuilt = rebuild_shared_run(lesson_->scenario, *share);
  if (!rebuilt.session || !rebuilt.hash_matches) return false;  // another version of the lesson or of dsplay
  for (std::size_t i = 0; i < steps_.size(); ++i) {
    const auto& s = j["steps"][i];
    if (!s.is_object()) return false;
    StepProgress& p = steps_[i];
    p.visited = s.value("visited", false);
    p.gate_met = s.value("gate_met", false);
    p.answered = s.value("answered", false);
    p.presented = s.value("presented", false);
    p.choice = s.value("choice", -1);
    p.value = s.value("value", 0.0);
    p.correct = s.value("correct", false);
    p.start_event = s.value("start_event", std::uint64_t{0});
    p.start_hash = std::strtoull(s.value("start_hash", std::string("0")).c_str(), nullptr, 16);
  }
  host.host_adopt(std::move(rebuilt.session), source_);
  step_ = std::min<std::size_t>(j.value("step", std::size_t{0}), steps_.size() - 1);
  finished_ = j.value("finished", false);
  // The step's start world, from the rebuilt timeline.
  Session& session = host.host_session();
  const std::uint64_t now_event = session.current_event();
  const SimTimeUs now_us = session.world().now_us();
  session.seek_event(steps_[step_].start_event);
  start_world_ = session.world();
  session.seek_event(now_event);
  session.advance_to(now_event, now_us);
  host.host_set_playing(false);  // a resumed lesson waits for the learner
  saved_log_size_ = session.command_log().size();
  host.host_platform().store_setting("lesson:current", lesson_->name);
  host.host_status("Welcome back: resumed at step " + std::to_string(step_ + 1) + " of " + std::to_string(steps_.size()));
  return true;
}

int LessonPlayer::saved_steps_done(Platform& platform, const std::string& lesson_name) {
  const std::string text = platform.load_setting(progress_key(lesson_name));
  if (text.empty()) return -1;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("steps") || !j["steps"].is_array()) return -1;
  if (j.value("finished", false)) return static_cast<int>(j["steps"].size());
  return std::clamp(j.value("step", 0), 0, static_cast<int>(j["steps"].size()));
}

// ------------------------------------------------------------------ keys

void LessonPlayer::keys(const View&, UiCommands& out) const {
  if (!lesson_) return;
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  using Op = CourseAction::Op;
  const bool forward = key_pressed(ImGuiKey_PageDown) || (presenting_ && (key_pressed(ImGuiKey_RightArrow) || key_pressed(ImGuiKey_DownArrow)));
  const bool backward = key_pressed(ImGuiKey_PageUp) || (presenting_ && (key_pressed(ImGuiKey_LeftArrow) || key_pressed(ImGuiKey_UpArrow)));
  // A clicker only has forward and back: in presentation, forward reveals, shows, then moves on.
  if (forward) out.act(CourseAction{presenting_ ? Op::advance : Op::next, {}, 0, 0});
  if (backward) out.act(CourseAction{Op::back, {}, 0, 0});
  if (presenting_ && key_pressed(ImGuiKey_Escape)) out.act(CourseAction{Op::toggle_presentation, {}, 0, 0});
  // F5 (SDL scancode 62, as the shells' SDL backend fills KeysDown) starts or ends a presentation.
  if (ImGui::IsKeyPressed(62, false)) out.act(CourseAction{Op::toggle_presentation, {}, 0, 0});
}

// ------------------------------------------------------------------ drawing

void LessonPlayer::draw_header(const View& view, UiCommands& out, float width) {
  using Op = CourseAction::Op;
  const float s = view.scale;
  const float line = ImGui::GetFrameHeight();
  if (!presenting_) {
    ImGui::PushFont(font_at(1));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - line * 2.4f);
    ImGui::TextUnformatted(lesson_->title.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
  }
  if (!presenting_) {
    // Present / close, top right.
    const ImVec2 keep = ImGui::GetCursorPos();
    ImGui::SetCursorPos(ImVec2(ImGui::GetWindowContentRegionMax().x - line * 2.2f, ImGui::GetStyle().WindowPadding.y));
    if (ImGui::Button("\xe2\x96\xa3##present", ImVec2(line, line))) out.act(CourseAction{Op::toggle_presentation, {}, 0, 0});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Presentation mode (F5): large type, side panels hidden,\nPage Down / Page Up or a clicker to move on and back");
    ImGui::SameLine(0, 4 * s);
    if (ImGui::Button("\xe2\x9c\x95##close", ImVec2(line, line))) out.act(CourseAction{Op::close_lesson, {}, 0, 0});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Close the lesson (your progress is kept)");
    ImGui::SetCursorPos(keep);
  }
  const std::size_t n = lesson_->steps.size();
  std::size_t done = 0;
  for (std::size_t i = 0; i < n; ++i) done += (steps_[i].visited && i < step_) || finished_ ? 1 : 0;
  char meta[320];
  if (presenting_) {
    // One line: the lesson's title if it fits beside the step count, else the section.
    std::snprintf(meta, sizeof meta, "%s  \xc2\xb7  %zu / %zu", lesson_->title.c_str(), std::min(step_ + 1, n), n);
    if (ImGui::CalcTextSize(meta).x > width)
      std::snprintf(meta, sizeof meta, "%s  \xc2\xb7  step %zu of %zu", lesson_->section.c_str(), std::min(step_ + 1, n), n);
  } else {
    std::snprintf(meta, sizeof meta, "%s%s%d min  \xc2\xb7  step %zu of %zu", lesson_->section.c_str(), lesson_->section.empty() ? "" : "  \xc2\xb7  ",
                  lesson_->minutes, std::min(step_ + 1, n), n);
  }
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  ImGui::TextColored(to_vec4(colour::text_dim), "%s", meta);
  ImGui::PopTextWrapPos();
  // Progress: one segment per step.
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = std::max(4.0f, 5 * s * (presenting_ ? 1.6f : 1.0f));
  const float gap = 3 * s;
  const float seg = (width - gap * static_cast<float>(n - 1)) / static_cast<float>(n);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (std::size_t i = 0; i < n; ++i) {
    const float x = p.x + static_cast<float>(i) * (seg + gap);
    ImU32 col = IM_COL32(50, 58, 76, 255);
    if (i < step_ || finished_) col = with_alpha(colour::ok, 220);
    else if (i == step_) col = colour::accent;
    dl->AddRectFilled(ImVec2(x, p.y), ImVec2(x + seg, p.y + h), col, h * 0.5f);
  }
  ImGui::Dummy(ImVec2(width, h + 4 * s));
  (void)done;
}

void LessonPlayer::draw_question(const View& view, UiCommands& out, const Question& q, float width) {
  using Op = CourseAction::Op;
  const float s = view.scale * (presenting_ ? 1.6f : 1.0f);
  const StepProgress& p = steps_[step_];
  const bool shown = revealed(step_);
  const ImU32 border = shown ? (p.presented && !p.answered ? colour::accent : (p.correct ? colour::ok : colour::warning)) : with_alpha(colour::accent, 160);
  Box box(width, IM_COL32(30, 38, 56, 255), border, 10 * s);
  ImGui::TextColored(to_vec4(colour::accent), "%s", p.answered && !shown ? "YOUR PREDICTION" : "QUESTION");
  rich_text(q.prompt, box.inner());
  ImGui::Spacing();
  if (q.kind == Question::Kind::choice) {
    for (std::size_t i = 0; i < q.choices.size(); ++i) {
      ImGui::PushID(static_cast<int>(i));
      const bool mine = p.answered && p.choice == static_cast<int>(i);
      const bool right = shown && i == q.correct;
      ImU32 bg = IM_COL32(40, 48, 66, 255), hover = IM_COL32(54, 66, 92, 255);
      if (mine && !shown) bg = hover = IM_COL32(46, 80, 130, 255);
      if (shown && right) bg = hover = IM_COL32(34, 100, 62, 255);
      if (shown && mine && !right) bg = hover = IM_COL32(120, 50, 40, 255);
      ImGui::PushStyleColor(ImGuiCol_Button, to_vec4(bg));
      ImGui::PushStyleColor(ImGuiCol_ButtonHovered, to_vec4(p.answered ? bg : hover));
      ImGui::PushStyleColor(ImGuiCol_ButtonActive, to_vec4(p.answered ? bg : hover));
      ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
      // A button as tall as its wrapped text: draw the text ourselves over an invisible button.
      const std::string label = std::string(1, static_cast<char>('A' + i)) + ".  " + q.choices[i] +
                                (shown && right ? "  \xe2\x9c\x93" : "") + (shown && mine && !right ? "  \xe2\x9c\x97" : "");
      const float pad = 6 * s;
      const float text_w = box.inner() - 2 * pad;
      const ImVec2 ts = ImGui::CalcTextSize(label.c_str(), nullptr, false, text_w);
      const ImVec2 pos = ImGui::GetCursorScreenPos();
      const bool clicked = ImGui::Button("##choice", ImVec2(box.inner(), ts.y + 2 * pad));
      ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(pos.x + pad, pos.y + pad), colour::text, label.c_str(),
                                          nullptr, text_w);
      ImGui::PopStyleVar();
      ImGui::PopStyleColor(3);
      if (clicked && !p.answered && !p.presented) out.act(CourseAction{Op::answer_choice, {}, static_cast<int>(i), 0});
      ImGui::PopID();
    }
  } else {
    if (!p.answered && !p.presented) {
      ImGui::SetNextItemWidth(std::min(box.inner() * 0.45f, 160 * s));
      const bool enter = ImGui::InputText("##number", number_input_, sizeof number_input_,
                                          ImGuiInputTextFlags_CharsScientific | ImGuiInputTextFlags_EnterReturnsTrue);
      if (!q.unit.empty()) {
        ImGui::SameLine();
        ImGui::TextUnformatted(q.unit.c_str());
      }
      ImGui::SameLine();
      char* end = nullptr;
      const double value = std::strtod(number_input_, &end);
      const bool valid = end != number_input_ && *end == '\0' && std::isfinite(value);
      if ((wide_button("Answer", 0, true, valid) || (enter && valid))) out.act(CourseAction{Op::answer_number, {}, 0, value});
    } else if (p.answered) {
      ImGui::Text("Your answer: %s %s", number_text(p.value).c_str(), q.unit.c_str());
    }
  }
  if (p.answered && !shown) {
    ImGui::Spacing();
    ImGui::TextColored(to_vec4(colour::warning), "Now make it happen: reach the goal below and the answer is revealed.");
  }
  if (shown) {
    ImGui::Spacing();
    if (p.answered) {
      ImGui::PushFont(font_at(presenting_ ? 3 : 1));
      ImGui::TextColored(to_vec4(p.correct ? colour::ok : colour::warning), "%s", p.correct ? "\xe2\x9c\x93 Right" : "Not quite");
      ImGui::PopFont();
    }
    if (!p.correct || !p.answered) ImGui::TextColored(to_vec4(colour::text_dim), "The answer: %s", q.answer_text().c_str());
    rich_text(q.explanation, box.inner());
    if (q.measure) {
      std::vector<LoggedCommand> since;
      const ConditionContext ctx = context(view.session, since);
      std::string error;
      if (const auto v = measure(*q.measure, ctx, error))
        ImGui::TextColored(to_vec4(colour::text_dim), "In your run right now: %s %s", number_text(std::round(*v * 1000) / 1000).c_str(), q.unit.c_str());
    }
  }
}

void LessonPlayer::draw_goal(const View& view, UiCommands& out, const LessonStep& step, float width) {
  using Op = CourseAction::Op;
  const float s = view.scale * (presenting_ ? 1.6f : 1.0f);
  const StepProgress& p = steps_[step_];
  Box box(width, p.gate_met ? IM_COL32(24, 52, 38, 255) : IM_COL32(44, 38, 22, 255), p.gate_met ? with_alpha(colour::ok, 200) : with_alpha(colour::warning, 170),
          10 * s);
  ImGui::TextColored(to_vec4(p.gate_met ? colour::ok : colour::warning), "%s", p.gate_met ? "GOAL REACHED" : "YOUR GOAL");
  for (std::size_t i = 0; i < gate_lines_.size(); ++i) {
    const ConditionLine& line = gate_lines_[i];
    const bool met = line.met || (i == 0 && p.gate_met);
    ImGui::Indent(static_cast<float>(line.depth) * 14 * s);
    ImGui::TextColored(to_vec4(met ? colour::ok : colour::text_dim), "%s", met ? "\xe2\x9c\x93" : "\xe2\x97\x8b");
    ImGui::SameLine();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + box.inner() - static_cast<float>(line.depth) * 14 * s - 24 * s);
    ImGui::TextColored(to_vec4(met ? colour::text : colour::text), "%s", line.text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Unindent(static_cast<float>(line.depth) * 14 * s);
  }
  if (!p.gate_met) {
    ImGui::Spacing();
    if (!step.hint.empty() && !presenting_) {
      if (ImGui::TreeNodeEx("Hint", ImGuiTreeNodeFlags_NoTreePushOnOpen)) rich_text(step.hint, box.inner());
    }
    if (autopilot_) {
      ImGui::TextColored(to_vec4(colour::accent), "Showing the solution: watch the simulation");
    } else if (!step.solution.empty()) {
      if (wide_button("Show me", 0, false)) out.act(CourseAction{Op::show_me, {}, 0, 0});
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Play this step's solution in the simulation (you can still do it yourself)");
    }
  }
}

void LessonPlayer::draw_finished(const View& view, UiCommands& out, float width) {
  using Op = CourseAction::Op;
  const float s = view.scale;
  int questions = 0, right = 0;
  for (std::size_t i = 0; i < steps_.size(); ++i) {
    if (!lesson_->steps[i].question) continue;
    ++questions;
    right += steps_[i].answered && steps_[i].correct ? 1 : 0;
  }
  ImGui::PushFont(font_at(presenting_ ? 3 : 1));
  ImGui::TextColored(to_vec4(colour::ok), "\xe2\x9c\x93 Lesson complete");
  ImGui::PopFont();
  ImGui::Spacing();
  if (questions > 0) {
    ImGui::Text("Questions: %d of %d answered right.", right, questions);
    ImGui::Spacing();
  }
  rich_text(lesson_->summary, width);
  ImGui::Spacing();
  ImGui::Spacing();
  if (wide_button("Choose the next lesson…", 0, true)) ImGui::OpenPopup("##next_lesson");
  ImGui::SameLine(0, 8 * s);
  if (wide_button("Start over", 0, false)) out.act(CourseAction{Op::start_over, {}, 0, 0});
  if (ImGui::BeginPopup("##next_lesson")) {
    if (view.lessons) {
      for (const LessonEntry& e : view.lessons->entries()) {
        if (!e.lesson) continue;
        if (ImGui::MenuItem(e.title.c_str(), nullptr, e.lesson->name == lesson_->name)) out.act(CourseAction{Op::open_lesson, e.path, 0, 0});
      }
    }
    ImGui::EndPopup();
  }
}

void LessonPlayer::draw_footer(const View& view, UiCommands& out, float width) {
  using Op = CourseAction::Op;
  const float s = view.scale;
  const float gap = 6 * s;
  const float third = (width - 2 * gap) / 3.0f;
  if (wide_button("\xe2\x97\x80 Back", third, false, step_ > 0 || finished_)) out.act(CourseAction{Op::back, {}, 0, 0});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("The previous step (Page Up)");
  ImGui::SameLine(0, gap);
  if (wide_button("\xe2\x86\xba  Reset", third, false, !finished_)) out.act(CourseAction{Op::reset_step, {}, 0, 0});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Reset this step: back to where it began; what you did since is dropped");
  ImGui::SameLine(0, gap);
  const bool last = step_ + 1 >= lesson_->steps.size();
  const std::string blocker = next_blocker();
  if (wide_button(last ? "Finish \xe2\x9c\x93" : "Next \xe2\x96\xb6", third, true, blocker.empty() && !finished_)) out.act(CourseAction{Op::next, {}, 0, 0});
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", blocker.empty() ? "The next step (Page Down)" : blocker.c_str());
}

void LessonPlayer::draw_panel(const View& view, UiCommands& out) {
  if (!lesson_) return;
  using Op = CourseAction::Op;
  ImGui::PushFont(font_at(presenting_ ? 2 : 0));
  const float s = view.scale * (presenting_ ? 1.6f : 1.0f);
  const float width = ImGui::GetContentRegionAvail().x;
  draw_header(view, out, width);

  // The middle: the narration scrolls; the step's question and goal are pinned under it, so the
  // task stays in view however long the text (a clicker cannot scroll).
  const float footer_h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y * 2 + (presenting_ ? 0 : ImGui::GetFrameHeightWithSpacing());
  const float middle_h = std::max(ImGui::GetContentRegionAvail().y - footer_h, 80.0f);
  const bool new_step = drawn_step_ != step_ + (finished_ ? 1000 : 0);
  if (new_step) {
    drawn_step_ = step_ + (finished_ ? 1000 : 0);
    task_h_ = middle_h * 0.45f;  // guesses until the task and the text are measured
    text_h_ = middle_h;
  }
  const LessonStep* step = finished_ ? nullptr : &lesson_->steps[step_];
  const bool has_task = step && (step->question || step->gate);
  const float task_h = has_task ? std::min(task_h_, middle_h * 0.66f) : 0.0f;
  // When everything fits, the task follows the text directly (the spare room goes below it).
  const float body_h = has_task && text_h_ + task_h <= middle_h ? text_h_ : middle_h - task_h;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, to_vec4(IM_COL32(0, 0, 0, 0)));
  ImGui::BeginChild("##lesson_body", ImVec2(width, body_h), false, ImGuiWindowFlags_None);
  if (new_step) ImGui::SetScrollY(0);
  const float inner = ImGui::GetContentRegionAvail().x - (ImGui::GetScrollMaxY() > 0 ? ImGui::GetStyle().ScrollbarSize : 0);
  ImGui::Spacing();
  if (finished_) {
    draw_finished(view, out, inner);
  } else {
    ImGui::PushFont(font_at(presenting_ ? 3 : 1));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + inner);
    ImGui::TextUnformatted(step->title.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
    ImGui::Spacing();
    rich_text(step->text, inner);
    for (const std::string& note : command_notes_) ImGui::TextColored(to_vec4(colour::danger), "%s", note.c_str());
    ImGui::Spacing();
  }
  text_h_ = ImGui::GetCursorPosY() + ImGui::GetStyle().ItemSpacing.y;  // the text's height, for the next frame
  ImGui::EndChild();
  if (has_task) {
    // It takes the rest of the middle, so the navigation stays at the bottom of the panel.
    ImGui::BeginChild("##lesson_task", ImVec2(width, std::max(task_h, middle_h - body_h)), false, ImGuiWindowFlags_None);
    if (new_step) ImGui::SetScrollY(0);
    const float task_inner = ImGui::GetContentRegionAvail().x - (ImGui::GetScrollMaxY() > 0 ? ImGui::GetStyle().ScrollbarSize : 0);
    ImGui::Dummy(ImVec2(0, 2 * s));
    if (step->question) draw_question(view, out, *step->question, task_inner);
    if (step->question && step->gate) ImGui::Dummy(ImVec2(0, 6 * s));
    if (step->gate) draw_goal(view, out, *step, task_inner);
    task_h_ = ImGui::GetCursorPosY() + ImGui::GetStyle().ItemSpacing.y;  // the task's height, for the next frame
    ImGui::EndChild();
  }
  ImGui::PopStyleColor();

  ImGui::Separator();
  draw_footer(view, out, width);
  if (!presenting_) {
    // The steps, to jump back to any visited one.
    ImGui::SetNextItemWidth(width);
    const std::string current = finished_ ? "Lesson complete" : std::to_string(step_ + 1) + ". " + lesson_->steps[step_].title;
    if (ImGui::BeginCombo("##steps", current.c_str(), ImGuiComboFlags_HeightLarge)) {
      for (std::size_t i = 0; i < lesson_->steps.size(); ++i) {
        const StepProgress& p = steps_[i];
        const bool done = (i < step_ && p.visited) || finished_;
        const std::string label = std::string(done ? "\xe2\x9c\x93 " : "   ") + std::to_string(i + 1) + ". " + lesson_->steps[i].title;
        if (ImGui::Selectable(label.c_str(), i == step_, p.visited ? 0 : ImGuiSelectableFlags_Disabled))
          out.act(CourseAction{Op::go_to_step, {}, static_cast<int>(i), 0});
      }
      ImGui::EndCombo();
    }
  }
  ImGui::PopFont();
  (void)s;
}

void LessonPlayer::draw_highlights(const View& view, const HighlightTargets& t) const {
  if (!lesson_ || finished_) return;
  const LessonStep& step = lesson_->steps[step_];
  if (step.highlights.empty()) return;
  // Outlines are drawn over everything: not while a menu or popup is open over the panels.
  if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)) return;
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  const float s = view.scale;
  const float pulse = 0.5f + 0.5f * static_cast<float>(std::sin(view.wall_time_s * 4.0));
  const ImU32 col = IM_COL32(255, 214, 90, static_cast<int>(120 + 120 * pulse));
  const float thick = (2.5f + 1.5f * pulse) * s;
  const World& world = view.world;
  auto node_at = [&](const std::string& ref, ImVec2& out_pos) {
    const std::string name = is_node_ref(ref) ? resolve_node_ref(start_world_ ? *start_world_ : world, ref) : ref;
    if (name.empty() || !t.node_pos || !t.node_visible) return false;
    const auto id = world.find_node(name);
    if (!id || *id >= t.node_pos->size() || *id >= t.node_visible->size() || !(*t.node_visible)[*id]) return false;
    out_pos = (*t.node_pos)[*id];
    return true;
  };
  for (const Highlight& h : step.highlights) {
    switch (h.kind) {
      case HighlightKind::node: {
        ImVec2 c;
        if (node_at(h.a, c)) dl->AddCircle(c, t.node_r + (6 + 4 * pulse) * s, col, 32, thick);
        break;
      }
      case HighlightKind::link: {
        ImVec2 a, b;
        if (node_at(h.a, a) && node_at(h.b, b)) dl->AddLine(a, b, col, thick + 1.5f * s);
        break;
      }
      case HighlightKind::panel:
        for (const auto& [name, rect] : t.panels) {
          if (name != h.a || rect.size.x <= 0) continue;
          const float inset = 2 * s;
          dl->AddRect(ImVec2(rect.pos.x + inset, rect.pos.y + inset), ImVec2(rect.pos.x + rect.size.x - inset, rect.pos.y + rect.size.y - inset), col,
                      6 * s, 0, thick);
        }
        break;
      case HighlightKind::ring_key: {
        const auto& positions = world.ring().key_positions();
        if (!t.ring_valid || h.key >= positions.size()) break;
        const float a = -kPi * 0.5f + static_cast<float>(static_cast<double>(positions[h.key]) / 4294967296.0 * 2.0 * kPi);
        const float r = t.ring_r_in - 6 * s;
        const ImVec2 c(t.ring_center.x + std::cos(a) * r, t.ring_center.y + std::sin(a) * r);
        dl->AddCircle(c, (7 + 3 * pulse) * s, col, 20, thick);
        const std::string label = "key-" + std::to_string(h.key);
        dl->AddText(ImVec2(c.x + 10 * s, c.y - 20 * s), col, label.c_str());
        break;
      }
    }
  }
}

// ------------------------------------------------------------------ menus

void course_menus(const View& view, UiCommands& out) {
  using Op = CourseAction::Op;
  const LessonPlayer* player = view.lesson;
  if (ImGui::BeginMenu("Lessons")) {
    std::string section;
    if (view.lessons) {
      for (std::size_t index = 0; index < view.lessons->entries().size(); ++index) {
        const LessonEntry& e = view.lessons->entries()[index];
        const std::string this_section = e.lesson ? e.lesson->section : std::string("(broken)");
        if (this_section != section) {
          if (!section.empty()) ImGui::Separator();
          section = this_section;
          ImGui::TextDisabled("%s", section.c_str());
        }
        ImGui::PushID(e.path.c_str());
        const bool current = player && player->active() && player->builtin() && player->source() == e.path;
        std::string shortcut;
        if (e.lesson) {
          const int done = view.lesson_steps_done && index < view.lesson_steps_done->size() ? (*view.lesson_steps_done)[index] : -1;
          const int total = static_cast<int>(e.lesson->steps.size());
          shortcut = done < 0 ? std::to_string(e.lesson->minutes) + " min" : done >= total ? "\xe2\x9c\x93 done" : std::to_string(done) + "/" + std::to_string(total);
        }
        if (ImGui::MenuItem(e.title.c_str(), shortcut.c_str(), current, e.lesson.has_value())) out.act(CourseAction{Op::open_lesson, e.path, 0, 0});
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
          ImGui::BeginTooltip();
          ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
          if (e.lesson) rich_text(e.lesson->summary, ImGui::GetFontSize() * 30);
          if (!e.error.empty()) ImGui::TextColored(to_vec4(colour::danger), "%s", e.error.c_str());
          ImGui::PopTextWrapPos();
          ImGui::EndTooltip();
        }
        ImGui::PopID();
      }
    }
    ImGui::Separator();
    const bool active = player && player->active();
    if (ImGui::MenuItem("Presentation mode", "F5", active && player->presenting(), active)) out.act(CourseAction{Op::toggle_presentation, {}, 0, 0});
    if (ImGui::MenuItem("Start this lesson over", nullptr, false, active)) out.act(CourseAction{Op::start_over, {}, 0, 0});
    if (ImGui::MenuItem("Close the lesson", nullptr, false, active)) out.act(CourseAction{Op::close_lesson, {}, 0, 0});
    ImGui::Separator();
    if (ImGui::MenuItem("Open a lesson or scenario file…")) out.act(CourseAction{Op::open_file, {}, 0, 0});
    ImGui::TextDisabled("or drop a .json file on the window");
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Share")) {
    if (ImGui::MenuItem("Share link to this run")) out.act(CourseAction{Op::share_link, {}, 0, 0});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("A link that replays this run exactly: the lesson or scenario, the seed and your commands");
    if (ImGui::MenuItem("Save a share file…")) out.act(CourseAction{Op::share_file, {}, 0, 0});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("dsplay-share.json: open it in dsplay (drop it on the window) to replay this run");
    ImGui::EndMenu();
  }
}

}  // namespace dsplay::ui
