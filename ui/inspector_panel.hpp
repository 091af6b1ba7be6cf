// The inspector: a red banner and a clickable list when a checker found violations, the selected
// node in detail (role, state, its process's own inspect() pairs, clock skew and drift, timers,
// ring membership) with action buttons, the scenario's title and description, and WorldStats.
#pragma once
#include <cstdint>

#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

struct InspectorPanel {
  void draw(const View& view, UiCommands& out);

 private:
  void violations(const View& view, UiCommands& out);
  void node_details(const View& view, UiCommands& out);
  void scenario_info(const View& view);
  void stats(const View& view);
  std::int64_t get_key_ = 0;
};

}  // namespace dsplay::ui
