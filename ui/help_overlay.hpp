// The help overlay (H / F1): every keyboard shortcut, what the mouse does where, and what the
// colours and shapes mean, in one window over the app.
#pragma once
#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

struct HelpOverlay {
  void draw(const View& view, UiCommands& out);
};

}  // namespace dsplay::ui
