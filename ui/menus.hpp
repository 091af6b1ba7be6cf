// The menu bar (scenario picker, save/export, simulation and network menus), the "Network
// settings" window with a slider per world parameter, and the dismissable panel that shows why a
// scenario file could not be opened.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

struct MenuBar {
  // Returns the bar's height (the layout starts below it).
  float draw(const View& view, UiCommands& out, bool can_quit);
};

struct NetworkSettingsWindow {
  void draw(const View& view, UiCommands& out);

 private:
  std::vector<double> edit_;          // per world_params() entry, while dragging
  std::vector<std::uint8_t> active_;  // that slider is being dragged
};

struct ErrorPanel {
  void draw(const View& view, UiCommands& out);
};

}  // namespace dsplay::ui
