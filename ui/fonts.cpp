// The UI fonts: DejaVu Sans embedded at build time (cmake/dsplay_embed.cmake turns the Debian
// font file into the dsplay_font_ttf array), loaded into the ImGui atlas at the shell's DPI scale.
// Fonts[0] is the body font (the default), Fonts[1] the same face larger, for headings; Fonts[2]
// and Fonts[3] are body and heading for the lesson player's presentation mode (a projector needs
// large type; glyphs drawn at their own size stay sharp, scaled-up small ones would not).
#include <imgui.h>

#include "ui/app.hpp"

extern const unsigned char dsplay_font_ttf[];
extern const unsigned int dsplay_font_ttf_size;

namespace dsplay::ui {

namespace {

constexpr float kBodySizePx = 16.0f;
constexpr float kHeadingSizePx = 22.0f;

// Latin-1 and Latin Extended-A, Greek (protocol notation), general punctuation (dashes, bullet,
// ellipsis), sub/superscripts, arrows, mathematical operators (≤ ≥ ≠ ∞), geometric shapes
// (● ▶ ■), check marks, and the replacement character for anything else.
const ImWchar kBodyRanges[] = {
    0x0020, 0x017F, 0x0370, 0x03FF, 0x2010, 0x205E, 0x2070, 0x209F, 0x2190, 0x21FF,
    0x2200, 0x22FF, 0x25A0, 0x25FF, 0x2713, 0x2718, 0xFFFD, 0xFFFD, 0,
};
const ImWchar kHeadingRanges[] = {0x0020, 0x00FF, 0x2010, 0x205E, 0x2190, 0x21FF, 0x25A0, 0x25FF, 0x2713, 0x2718, 0};
constexpr float kPresentBodySizePx = 26.0f;
constexpr float kPresentHeadingSizePx = 36.0f;
// Presentation text: Latin, punctuation, arrows, a few operators (− ≈ ≠ ≤ ≥), shapes, check marks.
const ImWchar kPresentBodyRanges[] = {0x0020, 0x017F, 0x2010, 0x205E, 0x2190, 0x21FF, 0x2212, 0x2212, 0x2248, 0x2248,
                                      0x2260, 0x2265, 0x25A0, 0x25FF, 0x2713, 0x2718, 0xFFFD, 0xFFFD, 0};
const ImWchar kPresentHeadingRanges[] = {0x0020, 0x00FF, 0x2010, 0x205E, 0x2190, 0x21FF, 0x2713, 0x2718, 0};

}  // namespace

void load_fonts(float ui_scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  if (!(ui_scale > 0.25f && ui_scale < 8.0f)) ui_scale = 1.0f;
  if (dsplay_font_ttf_size == 0) {  // font file was missing at build time
    ImFontConfig config;
    config.SizePixels = 13.0f * ui_scale;
    for (int i = 0; i < 4; ++i) io.Fonts->AddFontDefault(&config);
    return;
  }
  // The atlas reads the embedded bytes in place: they live as long as the program.
  auto* data = const_cast<unsigned char*>(dsplay_font_ttf);
  const int size = static_cast<int>(dsplay_font_ttf_size);
  ImFontConfig config;
  config.FontDataOwnedByAtlas = false;
  config.OversampleH = ui_scale >= 2.0f ? 1 : 2;  // large glyphs need no horizontal oversampling
  config.OversampleV = 1;
  io.Fonts->AddFontFromMemoryTTF(data, size, kBodySizePx * ui_scale, &config, kBodyRanges);
  io.Fonts->AddFontFromMemoryTTF(data, size, kHeadingSizePx * ui_scale, &config, kHeadingRanges);
  // Large glyphs need no horizontal oversampling; it would double their atlas space.
  ImFontConfig large = config;
  large.OversampleH = 1;
  io.Fonts->AddFontFromMemoryTTF(data, size, kPresentBodySizePx * ui_scale, &large, kPresentBodyRanges);
  io.Fonts->AddFontFromMemoryTTF(data, size, kPresentHeadingSizePx * ui_scale, &large, kPresentHeadingRanges);
}

}  // namespace dsplay::ui
