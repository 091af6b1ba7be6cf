// The whole app behind the App facade: it owns the Session, the selection, the UI state and one
// struct per panel; each frame it advances the simulation by the clamped wall time x speed, builds
// a View, lets every panel draw and emit UiCommands, then applies those commands. App (app.hpp)
// only forwards to it; tests and benchmarks can drive it headless and read its state.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "core/lesson.hpp"
#include "core/session.hpp"
#include "core/share.hpp"
#include "ui/app.hpp"
#include "ui/balancer_panel.hpp"
#include "ui/cluster_view.hpp"
#include "ui/event_log_panel.hpp"
#include "ui/help_overlay.hpp"
#include "ui/inspector_panel.hpp"
#include "ui/lb_compare.hpp"
#include "ui/lb_metrics.hpp"
#include "ui/lesson_library.hpp"
#include "ui/lesson_player.hpp"
#include "ui/lock_panel.hpp"
#include "ui/menus.hpp"
#include "ui/monitor_panel.hpp"
#include "ui/raft_panel.hpp"
#include "ui/ring_view.hpp"
#include "ui/scenario_library.hpp"
#include "ui/shortcuts.hpp"
#include "ui/spacetime_panel.hpp"
#include "ui/timeline_panel.hpp"
#include "ui/trace_panel.hpp"
#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

constexpr double kMaxFrameWallS = 0.1;      // a stalled frame never simulates more than this x speed
constexpr double kSimBudgetWallS = 0.030;   // wall time a frame may spend simulating

// Where each panel goes this frame: a fixed tiling computed from the display size.
struct PanelRect {
  ImVec2 pos;
  ImVec2 size;
};
struct Layout {
  PanelRect cluster, ring, timeline, spacetime, inspector, event_log;
};
// ring_share: the ring view's part of the main row (smaller when the scenario has no cache nodes).
Layout compute_layout(ImVec2 display, float menu_h, float scale, float ring_share = 0.5f);
// With a lesson open: its narration column on the left (lesson), the usual layout beside it; in
// presentation mode only the main views and the timeline (ui/app_lessons.cpp).
Layout lesson_layout(ImVec2 display, float menu_h, float scale, float ring_share, bool presenting, PanelRect& lesson);

class AppCore : private LessonHost {
 public:
  AppCore(Platform& platform, AppOptions options);

  void frame(double wall_dt_s);
  void open_scenario_text(const std::string& source_name, const std::string& json_text);
  bool quit_requested() const { return quit_; }

  const Session& session() const { return *session_; }
  const UiState& ui_state() const { return ui_; }
  const Selection& selection() const { return selection_; }
  const ScenarioLibrary& library() const { return library_; }
  const LessonLibrary& lessons() const { return lessons_; }
  const LessonPlayer& lesson_player() const { return lesson_; }
  // Applies commands as if panels had emitted them (tests, benchmarks, share links).
  void apply(UiCommands& commands);

 private:
  void open(Scenario scenario, std::string source);
  void advance(double wall_dt_s);
  void apply_action(const UiAction& action);
  void step_to_next_delivery();
  void set_status(std::string text);
  void update_share_link();
  void read_share_link(const std::string& fragment);
  void export_trace();
  void save_scenario();
  void set_token_reelection(TokenReelection mode);
  // A tab bar: `first_tab` (drawn by draw_first), then the request traces (ui/trace_panel.hpp).
  void draw_tabs_with_traces(const char* bar_id, const char* first_tab, const std::function<void()>& draw_first,
                             const View& view, UiCommands& out);
  // Balancing scenarios (ui/app_balancing.cpp): the balancer and metrics panels, compare mode.
  void draw_balancing(const View& view, UiCommands& out, const Layout& layout);
  // Lessons and sharing (ui/app_lessons.cpp).
  void open_document(const std::string& source_name, const std::string& text);  // scenario, lesson or share file
  void open_lesson(Lesson lesson, std::string source, bool builtin, std::string text, bool resume);
  void open_share(const ShareState& share, const std::string& source);
  bool read_course_link(const std::string& fragment);  // "#share=..." or "#lesson=NAME"
  void start_course(const std::string& fragment);
  std::optional<ShareState> current_share(bool for_file);
  void make_share_link();
  void save_share_file();
  void course_action(const CourseAction& action);
  void draw_course(const View& view, UiCommands& out, const Layout& layout, const PanelRect& lesson_rect);
  void refresh_lesson_done(double dt);
  void show_open_error(const std::string& source, std::vector<std::string> errors);
  // LessonHost
  Session& host_session() override;
  void host_open(Scenario scenario, std::string source) override;
  void host_adopt(std::unique_ptr<Session> session, std::string source) override;
  void host_set_playing(bool playing) override;
  void host_set_speed(double speed_x) override;
  void host_status(std::string text) override;
  void host_trace_changed() override;
  Platform& host_platform() override;

  Platform& platform_;
  AppOptions options_;
  ScenarioLibrary library_;
  std::unique_ptr<Session> session_;
  Selection selection_;
  UiState ui_;
  std::vector<std::string> node_names_;
  std::vector<std::uint32_t> ring_members_;
  double sim_carry_us_ = 0;  // fractional microseconds of budget carried to the next frame
  double wall_time_s_ = 0;
  bool style_applied_ = false;
  bool quit_ = false;

  Shortcuts shortcuts_;
  MenuBar menu_bar_;
  ClusterView cluster_view_;
  RingView ring_view_;
  RaftPanel raft_panel_;
  LockPanel lock_panel_;
  TimelinePanel timeline_;
  SpacetimePanel spacetime_;
  InspectorPanel inspector_;
  EventLogPanel event_log_;
  HelpOverlay help_;
  NetworkSettingsWindow network_settings_;
  ErrorPanel error_panel_;
  BalancerPanel balancer_panel_;
  LbMetricsPanel lb_metrics_;
  MonitorPanel monitor_panel_;  // balancing: quantile estimators and detectors (space-time slot)
  TracePanel trace_panel_;      // request traces: a tab beside the space-time diagram / monitoring panel
  LbCompare lb_compare_;
  bool lb_setting_read_ = false;
  LessonLibrary lessons_;
  LessonPlayer lesson_;
  std::vector<int> lesson_done_;  // per lessons_ entry: saved progress (menus)
  double lesson_done_age_s_ = 1e9;
  bool show_share_ = false;
  std::string share_link_;
  std::string share_error_;
  bool share_fragment_live_ = false;  // the URL holds a share link until the run changes
  std::size_t shared_log_size_ = 0;
};

}  // namespace dsplay::ui
