// Wrapped rich text for lesson narration (see rich_text.hpp).
#include "ui/rich_text.hpp"

#include <string>
#include <vector>

#include "ui/theme.hpp"

namespace dsplay::ui {

namespace {

enum class Span : unsigned char { plain, emphasis, code };

struct Word {
  std::string text;
  Span span = Span::plain;
  bool space_before = false;  // a space separates it from the previous word
};

// Splits one line into words, tracking ** and ` spans (which may cover several words).
std::vector<Word> words_of(std::string_view line) {
  std::vector<Word> out;
  Span span = Span::plain;
  Word current;
  bool pending_space = false;
  auto flush = [&] {
    if (!current.text.empty()) out.push_back(current);
    current = Word{};
    current.span = span;
  };
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (span != Span::code && c == '*' && i + 1 < line.size() && line[i + 1] == '*') {
      flush();
      span = span == Span::emphasis ? Span::plain : Span::emphasis;
      current.span = span;
      ++i;
      continue;
    }
    if (c == '`') {
      flush();
      span = span == Span::code ? Span::plain : Span::code;
      current.span = span;
      continue;
    }
    if (c == ' ') {
      flush();
      pending_space = true;
      continue;
    }
    if (current.text.empty()) {
      current.span = span;
      current.space_before = pending_space;
      pending_space = false;
    }
    current.text += c;
  }
  flush();
  return out;
}

}  // namespace

RichTextStyle default_rich_text_style() {
  return RichTextStyle{colour::text, IM_COL32(130, 196, 255, 255), IM_COL32(255, 214, 140, 255), IM_COL32(255, 255, 255, 20), 0.55f};
}

void rich_text(std::string_view text, float wrap_width) { rich_text(text, wrap_width, default_rich_text_style()); }

void rich_text(std::string_view text, float wrap_width, const RichTextStyle& style) {
  ImFont* font = ImGui::GetFont();
  const float size = ImGui::GetFontSize();
  const float line_h = ImGui::GetTextLineHeightWithSpacing();
  if (wrap_width <= 0) wrap_width = ImGui::GetContentRegionAvail().x;
  wrap_width = std::max(wrap_width, size * 4);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float space_w = font->CalcTextSizeA(size, 1e9f, 0, " ").x;
  float y = 0;
  bool first_paragraph = true;
  bool previous_was_bullet = false;

  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      first_paragraph = false;  // a blank line: the next line starts a new paragraph
      previous_was_bullet = false;
      if (end == text.size()) break;
      y += line_h * style.paragraph_gap;
      continue;
    }
    const bool bullet = line.size() > 2 && line[0] == '-' && line[1] == ' ';
    if (bullet) line.remove_prefix(2);
    if (!first_paragraph && !bullet && previous_was_bullet) y += line_h * style.paragraph_gap * 0.5f;
    first_paragraph = false;
    previous_was_bullet = bullet;
    const float indent = bullet ? size * 1.3f : 0.0f;
    if (bullet) dl->AddCircleFilled(ImVec2(origin.x + size * 0.45f, origin.y + y + size * 0.55f), size * 0.16f, style.text);
    float x = indent;
    const std::vector<Word> words = words_of(line);
    for (std::size_t w = 0; w < words.size(); ++w) {
      const Word& word = words[w];
      const ImVec2 ws = font->CalcTextSizeA(size, 1e9f, 0, word.text.c_str());
      // Words glued to this one (a comma after **emphasis**) wrap together with it.
      float glued_w = ws.x;
      for (std::size_t g = w + 1; g < words.size() && !words[g].space_before; ++g) glued_w += font->CalcTextSizeA(size, 1e9f, 0, words[g].text.c_str()).x;
      float gap = word.space_before && x > indent ? space_w : 0.0f;
      if (x + gap + glued_w > wrap_width && x > indent && (word.space_before || w == 0)) {
        x = indent;
        y += line_h;
        gap = 0;
      }
      x += gap;
      const ImVec2 p(origin.x + x, origin.y + y);
      ImU32 col = style.text;
      if (word.span == Span::emphasis) col = style.emphasis;
      if (word.span == Span::code) {
        col = style.code;
        const float pad = size * 0.12f;
        dl->AddRectFilled(ImVec2(p.x - pad, p.y - pad * 0.3f), ImVec2(p.x + ws.x + pad, p.y + ws.y + pad * 0.3f), style.code_bg, size * 0.2f);
      }
      dl->AddText(font, size, p, col, word.text.c_str());
      x += ws.x;
    }
    y += line_h;
    if (end == text.size()) break;
  }
  ImGui::Dummy(ImVec2(wrap_width, std::max(y, 1.0f)));
}

}  // namespace dsplay::ui
