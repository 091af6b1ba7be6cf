// Keyboard shortcuts (see shortcuts.hpp).
#include "ui/shortcuts.hpp"

#include <imgui.h>

namespace dsplay::ui {

namespace {
// ImGui 1.86 has no ImGuiKey for F1; both shells use the SDL backend, which fills io.KeysDown[]
// by SDL scancode, and SDL_SCANCODE_F1 is 58. (ui/ does not include SDL headers.)
constexpr int kSdlScancodeF1 = 58;

bool pressed(ImGuiKey key, bool repeat = true) {
  const int index = ImGui::GetKeyIndex(key);
  return index >= 0 && ImGui::IsKeyPressed(index, repeat);
}
}  // namespace

const std::vector<ShortcutInfo>& shortcut_list() {
  static const std::vector<ShortcutInfo> list = {
      {"Space", "play / pause"},
      {"Right", "step one event"},
      {"Shift+Right", "run to the next message delivery"},
      {"Left", "step back one event"},
      {"Home / End", "go to the start / the present"},
      {"+ / -", "faster / slower (x2)"},
      {"H, F1 or ?", "show / hide this help"},
      {"Esc", "close help, clear the selection"},
  };
  return list;
}

void Shortcuts::draw(const View& view, UiCommands& out) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;  // typing a seed or a filter: keys belong to the text field
  if (pressed(ImGuiKey_Space, false)) out.act(TogglePlaying{});
  if (pressed(ImGuiKey_RightArrow)) {
    if (io.KeyShift) out.act(StepDelivery{});
    else out.act(StepEvent{});
  }
  if (pressed(ImGuiKey_LeftArrow)) out.act(StepBack{});
  if (pressed(ImGuiKey_Home, false)) out.act(SeekEvent{0});
  if (pressed(ImGuiKey_End, false)) out.act(SeekPresent{});
  if (pressed(ImGuiKey_Escape, false)) {
    if (view.ui.show_help) out.act(ShowHelp{false});
    else out.act(ClearSelection{});
  }
  if (ImGui::IsKeyPressed(kSdlScancodeF1, false)) out.act(ToggleHelp{});
  for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
    switch (io.InputQueueCharacters[i]) {
      case '+':
      case '=': out.act(ScaleSpeed{2.0}); break;
      case '-':
      case '_': out.act(ScaleSpeed{0.5}); break;
      case 'h':
      case 'H':
      case '?': out.act(ToggleHelp{}); break;
      default: break;
    }
  }
}

}  // namespace dsplay::ui
