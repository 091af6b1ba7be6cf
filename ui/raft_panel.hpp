// The Raft panel: for worlds with raft servers it takes the ring view's place. It shows every
// server's role, term, vote, election timer, commit and applied index; each log as a row of
// cells coloured by term (committed solid, uncommitted faded); the lock service's table, its
// clients and the storage node's write log (as in the lock panel: the same referee); the five
// Figure 3 invariants as the checker sees them; timing presets and sliders with the §5.6 timing
// warning; and a window that runs the paper's Figure 16 experiment and draws its CDFs.
// The cluster view calls draw_raft_node_overlay() for the election-timer rings, role badges and
// votes, and raft_node_action_items() for the right-click menu.
#pragma once
#include <cstdint>
#include <vector>

#include <imgui.h>

#include "core/raft/fig16.hpp"
#include "ui/lock_panel.hpp"
#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

bool world_has_raft(const World& world);

struct RaftPanel {
  void draw(const View& view, UiCommands& out);

 private:
  void header(const View& view, UiCommands& out);
  void servers_table(const View& view);
  void log_grid(const View& view);
  void lock_table(const View& view, UiCommands& out);
  void timing(const View& view, UiCommands& out);
  void fig16_window(const View& view);

  std::int64_t first_index_ = 0;  // 0: follow the end of the logs
  // Timing sliders: values while dragging; SetParam is sent on release.
  int election_min_ms_ = 150, election_max_ms_ = 300, heartbeat_ms_ = 50;
  bool editing_ = false;
  // The Figure 16 window: trials run a few per frame.
  bool show_fig16_ = false;
  bool fig16_running_ = false;
  int fig16_trials_ = 200;
  std::uint32_t fig16_done_ = 0;  // trials finished per line, all lines in step
  std::vector<std::vector<Fig16Trial>> fig16_results_;
  LockPanel lock_view_;  // the lock family's violation banner and storage write log, for the consensus lock
};

// Election-timer ring, role badge, term and votes around a raft server drawn at c with radius r.
void draw_raft_node_overlay(ImDrawList* dl, const View& view, NodeId id, ImVec2 c, float r);
// Right-click items for raft servers (time out now, client request) and lock-service clients.
void raft_node_action_items(const View& view, NodeId id, UiCommands& out);

}  // namespace dsplay::ui
