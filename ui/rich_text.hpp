// Lesson narration as wrapped rich text in ImGui (1.86 has none): paragraphs split by blank
// lines, "- " bullet lines, **emphasis** (drawn in the accent colour) and `code` (on a tinted
// box, node names usually). Laid out word by word with the current font, so it works with the
// presentation fonts too; advances the ImGui cursor like a widget.
#pragma once
#include <string_view>

#include <imgui.h>

namespace dsplay::ui {

struct RichTextStyle {
  ImU32 text;
  ImU32 emphasis;
  ImU32 code;
  ImU32 code_bg;
  float paragraph_gap;  // extra space between paragraphs, in multiples of the line height
};
RichTextStyle default_rich_text_style();

// Draws `text` wrapped to `wrap_width` (<= 0: the available width) at the cursor.
void rich_text(std::string_view text, float wrap_width = 0.0f);
void rich_text(std::string_view text, float wrap_width, const RichTextStyle& style);

}  // namespace dsplay::ui
