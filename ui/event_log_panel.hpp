// The event log: every trace record as its stable text line (format_trace_record), oldest first,
// the known future dimmed below a "now" line, a substring filter (text or node name) and a
// "timers" toggle, following the present as it moves. Clicking a row seeks to its event.
// ImGuiListClipper formats only the visible rows, so 100k records stay fast.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

struct EventLogPanel {
  void draw(const View& view, UiCommands& out);

 private:
  void update_rows(const View& view);

  char filter_[128] = "";
  bool show_timers_ = true;
  bool follow_ = true;
  // filtered rows (indices into the trace), rebuilt when the filter or the trace changes
  bool filtering_ = false;
  std::string cached_filter_;
  bool cached_show_timers_ = true;
  std::uint64_t generation_ = ~0ull;
  std::size_t scanned_ = 0;
  std::vector<std::uint32_t> rows_;
  std::size_t last_present_rows_ = SIZE_MAX;
  bool skip_follow_ = false;
};

}  // namespace dsplay::ui
