// Keyboard shortcuts: read from ImGui's io once per frame and turned into UiCommands (never while
// a text field has the keyboard). The same table feeds the help overlay, so they cannot disagree.
#pragma once
#include <vector>

#include "ui/ui_commands.hpp"
#include "ui/view.hpp"

namespace dsplay::ui {

struct ShortcutInfo {
  const char* keys;
  const char* what;
};
const std::vector<ShortcutInfo>& shortcut_list();

struct Shortcuts {
  void draw(const View& view, UiCommands& out);
};

}  // namespace dsplay::ui
