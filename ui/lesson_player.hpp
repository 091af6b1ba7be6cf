// The lesson player: a narration panel beside the simulation that walks a learner through a
// lesson's steps. Each step's commands run when it is entered; its gate (a condition on the
// world) is shown as a live checklist and must be met to go on; its question is asked before
// the answer is shown (predict, run, reveal) and graded; "Show me" plays the step's scripted
// solution; "Reset this step" returns the session to where the step began (Session seek +
// discard_future) and drops what the learner did since. Free play stays possible throughout:
// every panel keeps working. Progress (answers, steps done and the run itself, as a share
// payload) is saved through Platform settings, so a reload resumes where the learner was.
// Presentation mode is for lecturers: large type, side panels hidden, PageDown / PageUp (a
// clicker) or the arrow keys move on and back, and "advance" reveals, then shows, then moves.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/lesson.hpp"
#include "core/share.hpp"
#include "ui/app.hpp"
#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

// What the player needs from the app; AppCore implements it.
class LessonHost {
 public:
  virtual ~LessonHost() = default;
  virtual Session& host_session() = 0;
  // A fresh session on this scenario (the lesson stays open).
  virtual void host_open(Scenario scenario, std::string source) = 0;
  // A rebuilt session (a share link, saved progress) instead of the current one.
  virtual void host_adopt(std::unique_ptr<Session> session, std::string source) = 0;
  virtual void host_set_playing(bool playing) = 0;
  virtual void host_set_speed(double speed_x) = 0;
  virtual void host_status(std::string text) = 0;
  virtual void host_trace_changed() = 0;  // the known trace may have been rewritten (fork)
  virtual Platform& host_platform() = 0;
};

struct StepProgress {
  bool visited = false;
  bool gate_met = false;   // latched: once met, the step stays done
  bool answered = false;   // graded
  bool presented = false;  // presentation mode showed the answer without grading
  int choice = -1;
  double value = 0;
  bool correct = false;
  std::uint64_t start_event = 0;  // the session event the step began at (after its commands)
  std::uint64_t start_hash = 0;   // the trace hash there: tells whether the timeline still holds it
};

// Where highlights are drawn (the app fills it after laying out and drawing its panels).
struct HighlightTargets {
  struct Rect {
    ImVec2 pos, size;
  };
  std::vector<std::pair<std::string, Rect>> panels;  // lesson panel names -> where they are
  const std::vector<ImVec2>* node_pos = nullptr;          // per NodeId (cluster view)
  const std::vector<std::uint8_t>* node_visible = nullptr;
  float node_r = 12.0f;
  bool ring_valid = false;
  ImVec2 ring_center;
  float ring_r_in = 0, ring_r_out = 0;
};

class LessonPlayer {
 public:
  bool active() const { return lesson_.has_value(); }
  const Lesson* lesson() const { return lesson_ ? &*lesson_ : nullptr; }
  std::size_t step() const { return step_; }
  bool presenting() const { return presenting_ && active(); }
  bool finished() const { return finished_; }
  const std::string& source() const { return source_; }
  bool builtin() const { return builtin_; }
  const std::string& lesson_text() const { return text_; }  // a user lesson's file text (for share files)
  const std::vector<StepProgress>& progress() const { return steps_; }
  bool can_go_next() const;
  std::string next_blocker() const;  // why Next is disabled ("" when it is not)
  bool autopilot() const { return autopilot_.has_value(); }

  // Opens a lesson on a fresh session of its scenario, at its first step; resume: restore saved
  // progress (answers, steps done and the run) when there is some.
  void start(LessonHost& host, Lesson lesson, std::string source, bool builtin, std::string text, bool resume);
  // Opens a lesson on a session the host has already rebuilt (a share link) at a step.
  void start_shared(LessonHost& host, Lesson lesson, std::string source, bool builtin, std::string text, std::int32_t step,
                    std::uint64_t step_event);
  void close(LessonHost& host);
  void handle(LessonHost& host, const CourseAction& action);

  // While "Show me" runs, it drives the simulation: the app hands it the frame's budget of
  // simulated time instead of running the session itself. Runs stop exactly where the solution
  // says and waits stop at the first event after which the gate holds, so "Show me" from a
  // step's start replays what the headless player does, whatever the frame rate.
  void autopilot_advance(LessonHost& host, SimTimeUs budget_us);
  // After the frame's simulation: latch the gate, run due "Show me" commands, save progress now and then.
  void update(LessonHost& host, double wall_dt_s);

  // Keys: PageDown / PageUp for next / back; in presentation also the arrows, Esc leaves it.
  void keys(const View& view, UiCommands& out) const;
  // The narration panel's contents (the app places the window).
  void draw_panel(const View& view, UiCommands& out);
  // Pulsing outlines around the step's highlighted nodes, links, panels and ring keys.
  void draw_highlights(const View& view, const HighlightTargets& targets) const;

  // The lesson's part of a share (its step and where that step began).
  void fill_share(ShareState& share) const;
  // Saved progress of a lesson for menus: steps done (-1 when never opened), of `steps`.
  static int saved_steps_done(Platform& platform, const std::string& lesson_name);

 private:
  struct Autopilot {
    std::vector<LessonAction> actions;
    std::size_t next = 0;
    std::optional<SimTimeUs> target_us;  // the run or wait in progress ends here
    std::optional<World> until_start;    // the world when the `until` in progress began
  };
  void enter_step(LessonHost& host, std::size_t index, bool revisit);
  void apply_step_settings(LessonHost& host);
  void next(LessonHost& host);
  void back(LessonHost& host);
  void reset_step(LessonHost& host);
  void answer(LessonHost& host, int choice, double value, bool numeric);
  ConditionContext context(const Session& session, std::vector<LoggedCommand>& since) const;
  bool gate_now(const Session& session) const;
  bool revealed(std::size_t index) const;
  void save(LessonHost& host);
  bool load(LessonHost& host);
  void mark_dirty() { dirty_ = true; }

  // drawing pieces
  void draw_header(const View& view, UiCommands& out, float width);
  void draw_question(const View& view, UiCommands& out, const Question& q, float width);
  void draw_goal(const View& view, UiCommands& out, const LessonStep& step, float width);
  void draw_footer(const View& view, UiCommands& out, float width);
  void draw_finished(const View& view, UiCommands& out, float width);

  std::optional<Lesson> lesson_;
  std::string source_;
  std::string text_;
  bool builtin_ = false;
  std::size_t step_ = 0;
  std::vector<StepProgress> steps_;
  std::optional<World> start_world_;  // the world when the current step began
  std::optional<Autopilot> autopilot_;
  bool presenting_ = false;
  bool finished_ = false;
  bool dirty_ = false;
  double since_save_s_ = 0;
  std::size_t saved_log_size_ = 0;
  std::size_t drawn_step_ = static_cast<std::size_t>(-1);  // scroll to top on a new step
  char number_input_[32] = {};
  float task_h_ = 200;  // the pinned question and goal's height, measured last frame
  float text_h_ = 400;  // the narration's height, measured last frame
  std::vector<ConditionLine> gate_lines_;  // this frame's live gate checklist
  bool gate_live_ = false;
  std::vector<std::string> command_notes_;  // rejected step commands, shown in the panel
};

// The "Lessons" and "Share" menus for the main menu bar.
void course_menus(const View& view, UiCommands& out);

}  // namespace dsplay::ui
