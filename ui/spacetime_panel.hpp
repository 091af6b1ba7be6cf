// The space-time (Lamport) diagram: one lane per node, time to the right, an arrow per message
// from its send to its delivery (drops end in a red x), crashes / restarts / pauses marked on the
// lanes, partitions shaded. It follows the current time (a cursor marks "now"; the known future
// is drawn behind a veil), the mouse wheel zooms, and clicking an arrow or a mark seeks there.
#pragma once
#include <cstdint>
#include <vector>

#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

struct SpacetimePanel {
  void draw(const View& view, UiCommands& out);

 private:
  struct Mark {  // a rare record worth keeping for the whole run (lifecycle, commands, violations)
    std::size_t index;  // into the trace
  };
  struct PartitionSpan {
    SimTimeUs start_us = 0;
    SimTimeUs end_us = 0;  // kSimTimeMaxUs while it lasts
    std::vector<std::uint32_t> group_of_node;  // NodeId -> group (0 = with the first group)
  };
  struct Send {
    std::uint64_t msg_id;
    SimTimeUs time_us;
    NodeId node;
  };
  void update_marks(const View& view);

  double window_us_ = 0;  // visible time span; 0 = pick from the scenario's latency
  std::uint64_t generation_ = ~0ull;
  std::size_t scanned_ = 0;  // trace records looked at for marks
  std::vector<Mark> marks_;
  std::vector<PartitionSpan> partitions_;
  std::vector<Send> sends_;  // this frame's window, ascending msg_id
};

}  // namespace dsplay::ui
