// The lock panel: for worlds with the locks of core/locks/ (and the token lock) it takes the ring
// view's place. A red banner names each mutual-exclusion violation and jumps to it and to the
// events that caused it; below, who holds the lock now (with each lease counting down on the
// client's own clock), the lock service's state (token queue, ticket queue, the coordination
// service's entries and watches with the herd wake-up counter, Redis keys with their TTL on the
// server's clock and the fencing counter), every client's phase and token, and the storage node's
// write log with accepted and rejected writes. A few switches (Redis variant, fenced storage,
// watch mode) let the learner apply each fix and watch the hole close. For the token lock, the
// coordinator re-election mode (off / naive / fenced) is chosen above the coordinators; as it
// needs standby coordinators from the start, choosing restarts the run (SetTokenReelection).
#pragma once
#include <cstdint>

#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

// True when the world has lock clients or a storage node (the token lock included).
bool world_has_locks(const World& world);

struct LockPanel {
  void draw(const View& view, UiCommands& out);
  // Also drawn by the Raft panel for the consensus lock: the lock violations and the storage log.
  void violations(const View& view, UiCommands& out);
  void write_log(const View& view, UiCommands& out);

 private:
  void holders(const View& view, UiCommands& out);
  void services(const View& view, UiCommands& out);
  void reelection(const View& view, UiCommands& out);
  void clients(const View& view, UiCommands& out);
  void switches(const View& view, UiCommands& out);

  bool follow_log_ = true;  // keep the write log scrolled to its newest entry
};

}  // namespace dsplay::ui
