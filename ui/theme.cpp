// The colour scheme and drawing helpers shared by all panels (see theme.hpp).
#include "ui/theme.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace dsplay::ui {

ImU32 with_alpha(ImU32 col, int alpha) {
  alpha = std::clamp(alpha, 0, 255);
  return (col & ~IM_COL32_A_MASK) | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT);
}

ImU32 lerp_colour(ImU32 a, ImU32 b, float t) {
  auto ch = [&](int shift) {
    const float x = static_cast<float>((a >> shift) & 0xFF);
    const float y = static_cast<float>((b >> shift) & 0xFF);
    return static_cast<ImU32>(std::clamp(x + (y - x) * t, 0.0f, 255.0f)) << shift;
  };
  return ch(IM_COL32_R_SHIFT) | ch(IM_COL32_G_SHIFT) | ch(IM_COL32_B_SHIFT) | ch(IM_COL32_A_SHIFT);
}

ImVec4 to_vec4(ImU32 col) { return ImGui::ColorConvertU32ToFloat4(col); }

ImU32 activity_colour(NodeActivity activity) {
  switch (activity) {
    case NodeActivity::idle: return colour::idle;
    case NodeActivity::waiting: return colour::waiting;
    case NodeActivity::active: return colour::active;
    case NodeActivity::serving: return colour::serving;
  }
  return colour::idle;
}

const char* activity_name(NodeActivity activity) {
  switch (activity) {
    case NodeActivity::idle: return "idle";
    case NodeActivity::waiting: return "waiting";
    case NodeActivity::active: return "active";
    case NodeActivity::serving: return "serving";
  }
  return "?";
}

namespace {
constexpr int kPayloadTypes = static_cast<int>(std::variant_size_v<Payload>);
// By payload index; protocols added later without an entry here get golden-ratio hues.
constexpr ImU32 kPayloadPalette[] = {
    IM_COL32(255, 146, 64, 255),   // TokenRequest: orange
    IM_COL32(255, 214, 72, 255),   // TokenGrant: gold (the token)
    IM_COL32(186, 134, 255, 255),  // TokenRelease: violet
    IM_COL32(72, 206, 230, 255),   // CacheGet: cyan
    IM_COL32(112, 222, 128, 255),  // CacheReply: green
    // Raft: the hues the golden-ratio fallback gave them before the lock family was listed here
    IM_COL32(255, 127, 181, 255),  // RequestVote
    IM_COL32(143, 255, 127, 255),  // VoteReply
    IM_COL32(148, 127, 255, 255),  // AppendEntries
    IM_COL32(255, 185, 127, 255),  // AppendReply
    IM_COL32(127, 255, 222, 255),  // ClientRequest
    IM_COL32(255, 127, 250, 255),  // ClientReply
    // the lock family (core/locks/)
    IM_COL32(96, 160, 255, 255),   // Write: blue
    IM_COL32(140, 190, 255, 255),  // WriteAck: light blue
    IM_COL32(255, 146, 64, 255),   // TicketRequest: orange (a request)
    IM_COL32(230, 180, 120, 255),  // TicketIssued: sand
    IM_COL32(255, 214, 72, 255),   // TicketGrant: gold (the lock)
    IM_COL32(186, 134, 255, 255),  // TicketRelease: violet (a release)
    IM_COL32(150, 150, 170, 255),  // ZkConnect: grey
    IM_COL32(120, 125, 140, 255),  // ZkPing: dark grey (heartbeats)
    IM_COL32(255, 146, 64, 255),   // ZkCreate: orange
    IM_COL32(240, 160, 200, 255),  // ZkGetChildren: pink
    IM_COL32(220, 130, 230, 255),  // ZkExists: magenta
    IM_COL32(186, 134, 255, 255),  // ZkDelete: violet
    IM_COL32(170, 200, 160, 255),  // ZkReply: pale green
    IM_COL32(255, 90, 90, 255),    // ZkWatchEvent: red (a wake-up)
    IM_COL32(255, 146, 64, 255),   // SETNX: orange
    IM_COL32(255, 190, 90, 255),   // EXPIRE: amber
    IM_COL32(255, 146, 64, 255),   // SET NX PX: orange
    IM_COL32(255, 120, 40, 255),   // SET NX PX+INCR: deep orange
    IM_COL32(200, 200, 210, 255),  // GET: light grey
    IM_COL32(186, 134, 255, 255),  // DEL: violet
    IM_COL32(160, 120, 240, 255),  // DEL IF =: deeper violet
    IM_COL32(255, 214, 72, 255),   // RedisReply: gold (yes / no to the lock)
};
constexpr int kPaletteSize = static_cast<int>(sizeof(kPayloadPalette) / sizeof(kPayloadPalette[0]));

ImU32 payload_colour_at(std::size_t index) {
  if (index < static_cast<std::size_t>(kPaletteSize)) return kPayloadPalette[index];
  const float hue = std::fmod(0.93f + static_cast<float>(index - kPaletteSize) * 0.381966f, 1.0f);
  float r = 0, g = 0, b = 0;
  ImGui::ColorConvertHSVtoRGB(hue, 0.5f, 1.0f, r, g, b);
  return IM_COL32(static_cast<int>(r * 255), static_cast<int>(g * 255), static_cast<int>(b * 255), 255);
}

template <std::size_t... I>
void fill_payload_names(const char** out, std::index_sequence<I...>) {
  ((out[I] = payload_name(Payload(std::in_place_index<I>))), ...);
}

// Payload names as core spells them, so labels from the trace map to the same colours.
const char* const* payload_names() {
  static const char* names[kPayloadTypes] = {};
  static bool filled = false;
  if (!filled) {
    fill_payload_names(names, std::make_index_sequence<kPayloadTypes>());
    filled = true;
  }
  return names;
}
}  // namespace

ImU32 payload_colour(const Payload& payload) { return payload_colour_at(payload.index()); }

int payload_label_index(const char* label) {
  const char* const* names = payload_names();
  for (int i = 0; i < kPayloadTypes; ++i) {
    if (names[i] == label || (label && names[i] && std::strcmp(names[i], label) == 0)) return i;
  }
  return -1;
}

ImU32 payload_label_colour(const char* label) {
  const int index = payload_label_index(label);
  return index < 0 ? IM_COL32(200, 200, 210, 255) : payload_colour_at(static_cast<std::size_t>(index));
}

const LegendEntry* payload_legend(int& count) {
  static LegendEntry entries[kPayloadTypes];
  static bool filled = false;
  if (!filled) {
    const char* const* names = payload_names();
    for (int i = 0; i < kPayloadTypes; ++i) entries[i] = {names[i], payload_colour_at(static_cast<std::size_t>(i))};
    filled = true;
  }
  count = kPayloadTypes;
  return entries;
}

ImU32 member_colour(std::uint32_t member, float value) {
  // Golden-ratio hue steps keep neighbours (in join order) far apart on the colour wheel.
  const float hue = std::fmod(0.58f + static_cast<float>(member) * 0.618034f, 1.0f);
  const float sat = (member / 7) % 2 == 0 ? 0.62f : 0.45f;
  float r = 0, g = 0, b = 0;
  ImGui::ColorConvertHSVtoRGB(hue, sat, value, r, g, b);
  return IM_COL32(static_cast<int>(r * 255), static_cast<int>(g * 255), static_cast<int>(b * 255), 255);
}

ImU32 group_colour(std::uint32_t group) {
  static constexpr ImU32 kGroups[] = {
      IM_COL32(120, 130, 150, 255), IM_COL32(226, 92, 196, 255), IM_COL32(64, 200, 190, 255),
      IM_COL32(246, 150, 60, 255),  IM_COL32(150, 120, 255, 255), IM_COL32(200, 220, 80, 255),
  };
  if (group == 0) return kGroups[0];
  return kGroups[1 + (group - 1) % 5];
}

void apply_style(float ui_scale) {
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  ImGui::StyleColorsDark(&style);
  style.WindowRounding = 5.0f;
  style.ChildRounding = 4.0f;
  style.FrameRounding = 4.0f;
  style.PopupRounding = 4.0f;
  style.GrabRounding = 4.0f;
  style.TabRounding = 4.0f;
  style.ScrollbarRounding = 6.0f;
  style.WindowBorderSize = 1.0f;
  style.FrameBorderSize = 0.0f;
  style.PopupBorderSize = 1.0f;
  style.WindowPadding = ImVec2(8, 6);
  style.FramePadding = ImVec2(7, 3);
  style.ItemSpacing = ImVec2(7, 5);
  style.ItemInnerSpacing = ImVec2(5, 4);
  style.ScrollbarSize = 12.0f;
  style.GrabMinSize = 10.0f;
  style.WindowTitleAlign = ImVec2(0.0f, 0.5f);

  ImVec4* c = style.Colors;
  auto rgb = [](int r, int g, int b, int a = 255) { return ImVec4(r / 255.0f, g / 255.0f, b / 255.0f, a / 255.0f); };
  c[ImGuiCol_Text] = rgb(226, 231, 239);
  c[ImGuiCol_TextDisabled] = rgb(120, 128, 144);
  c[ImGuiCol_WindowBg] = rgb(23, 26, 34);
  c[ImGuiCol_ChildBg] = rgb(18, 21, 28);
  c[ImGuiCol_PopupBg] = rgb(28, 32, 42, 248);
  c[ImGuiCol_Border] = rgb(46, 52, 66);
  c[ImGuiCol_BorderShadow] = rgb(0, 0, 0, 0);
  c[ImGuiCol_FrameBg] = rgb(36, 41, 54);
  c[ImGuiCol_FrameBgHovered] = rgb(46, 54, 72);
  c[ImGuiCol_FrameBgActive] = rgb(54, 64, 86);
  c[ImGuiCol_TitleBg] = rgb(27, 31, 40);
  c[ImGuiCol_TitleBgActive] = rgb(31, 37, 50);
  c[ImGuiCol_TitleBgCollapsed] = rgb(27, 31, 40);
  c[ImGuiCol_MenuBarBg] = rgb(20, 23, 30);
  c[ImGuiCol_ScrollbarBg] = rgb(18, 21, 28);
  c[ImGuiCol_ScrollbarGrab] = rgb(54, 62, 80);
  c[ImGuiCol_ScrollbarGrabHovered] = rgb(70, 80, 104);
  c[ImGuiCol_ScrollbarGrabActive] = rgb(86, 100, 130);
  c[ImGuiCol_CheckMark] = rgb(92, 170, 255);
  c[ImGuiCol_SliderGrab] = rgb(92, 170, 255);
  c[ImGuiCol_SliderGrabActive] = rgb(130, 192, 255);
  c[ImGuiCol_Button] = rgb(42, 50, 66);
  c[ImGuiCol_ButtonHovered] = rgb(56, 70, 96);
  c[ImGuiCol_ButtonActive] = rgb(70, 92, 130);
  c[ImGuiCol_Header] = rgb(44, 56, 78);
  c[ImGuiCol_HeaderHovered] = rgb(54, 70, 100);
  c[ImGuiCol_HeaderActive] = rgb(64, 84, 120);
  c[ImGuiCol_Separator] = rgb(46, 52, 66);
  c[ImGuiCol_SeparatorHovered] = rgb(70, 90, 130);
  c[ImGuiCol_SeparatorActive] = rgb(92, 170, 255);
  c[ImGuiCol_ResizeGrip] = rgb(0, 0, 0, 0);
  c[ImGuiCol_ResizeGripHovered] = rgb(0, 0, 0, 0);
  c[ImGuiCol_ResizeGripActive] = rgb(0, 0, 0, 0);
  c[ImGuiCol_Tab] = rgb(36, 41, 54);
  c[ImGuiCol_TabHovered] = rgb(56, 70, 96);
  c[ImGuiCol_TabActive] = rgb(48, 60, 84);
  c[ImGuiCol_PlotHistogram] = rgb(92, 170, 255);
  c[ImGuiCol_TableHeaderBg] = rgb(30, 35, 46);
  c[ImGuiCol_TableBorderStrong] = rgb(46, 52, 66);
  c[ImGuiCol_TableBorderLight] = rgb(38, 43, 56);
  c[ImGuiCol_TableRowBg] = rgb(0, 0, 0, 0);
  c[ImGuiCol_TableRowBgAlt] = rgb(255, 255, 255, 8);
  c[ImGuiCol_TextSelectedBg] = rgb(92, 170, 255, 90);
  c[ImGuiCol_ModalWindowDimBg] = rgb(8, 10, 14, 150);

  style.ScaleAllSizes(ui_scale);
}

void add_dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness, float dash_px, float gap_px) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len = std::sqrt(dx * dx + dy * dy);
  if (len < 0.5f) return;
  const float ux = dx / len, uy = dy / len;
  const float step = dash_px + gap_px;
  int guard = 0;
  for (float s = 0; s < len && guard < 4000; s += step, ++guard) {
    const float e = std::min(s + dash_px, len);
    dl->AddLine(ImVec2(a.x + ux * s, a.y + uy * s), ImVec2(a.x + ux * e, a.y + uy * e), col, thickness);
  }
}

void add_arrow_head(ImDrawList* dl, ImVec2 tip, ImVec2 d, float size, ImU32 col) {
  const ImVec2 n(-d.y, d.x);
  const ImVec2 base(tip.x - d.x * size, tip.y - d.y * size);
  dl->AddTriangleFilled(tip, ImVec2(base.x + n.x * size * 0.5f, base.y + n.y * size * 0.5f),
                        ImVec2(base.x - n.x * size * 0.5f, base.y - n.y * size * 0.5f), col);
}

void add_cross(ImDrawList* dl, ImVec2 c, float h, ImU32 col, float thickness) {
  dl->AddLine(ImVec2(c.x - h, c.y - h), ImVec2(c.x + h, c.y + h), col, thickness);
  dl->AddLine(ImVec2(c.x - h, c.y + h), ImVec2(c.x + h, c.y - h), col, thickness);
}

void add_pause_glyph(ImDrawList* dl, ImVec2 c, float h, ImU32 col) {
  const float w = h * 0.36f;
  dl->AddRectFilled(ImVec2(c.x - h * 0.62f, c.y - h), ImVec2(c.x - h * 0.62f + w, c.y + h), col, 1.0f);
  dl->AddRectFilled(ImVec2(c.x + h * 0.62f - w, c.y - h), ImVec2(c.x + h * 0.62f, c.y + h), col, 1.0f);
}

void add_stripes_in_circle(ImDrawList* dl, ImVec2 c, float r, ImU32 col, float spacing) {
  // Chords perpendicular to the (1, -1) diagonal at offsets d: half length sqrt(r^2 - d^2).
  const float k = 0.70710678f;
  for (float d = -r + spacing * 0.5f; d < r; d += spacing) {
    const float half = std::sqrt(std::max(0.0f, r * r - d * d));
    const ImVec2 mid(c.x + d * k, c.y + d * k);
    dl->AddLine(ImVec2(mid.x - half * k, mid.y + half * k), ImVec2(mid.x + half * k, mid.y - half * k), col, 1.5f);
  }
}

void add_node_shape(ImDrawList* dl, ImVec2 c, float r, NodeRole role, ImU32 fill) {
  switch (role) {
    case NodeRole::token_coordinator:
    case NodeRole::ticket_coordinator:
    case NodeRole::coord_service:
    case NodeRole::redis: dl->AddNgonFilled(c, r * 1.12f, fill, 6); break;
    case NodeRole::cache:
    case NodeRole::storage: dl->AddRectFilled(ImVec2(c.x - r * 0.9f, c.y - r * 0.9f), ImVec2(c.x + r * 0.9f, c.y + r * 0.9f), fill, r * 0.32f); break;
    case NodeRole::cache_client: dl->AddNgonFilled(c, r * 1.15f, fill, 4); break;
    case NodeRole::lb_server: dl->AddRectFilled(ImVec2(c.x - r * 0.9f, c.y - r * 0.9f), ImVec2(c.x + r * 0.9f, c.y + r * 0.9f), fill, r * 0.2f); break;
    case NodeRole::lb_client: dl->AddNgonFilled(c, r * 1.15f, fill, 4); break;
    case NodeRole::balancer: dl->AddNgonFilled(c, r * 1.3f, fill, 3); break;
    case NodeRole::plain: dl->AddCircleFilled(c, r * 0.85f, fill, 0); break;
    case NodeRole::token_client:
    default: dl->AddCircleFilled(c, r, fill, 0); break;
  }
}

void add_node_outline(ImDrawList* dl, ImVec2 c, float r, NodeRole role, ImU32 col, float t) {
  switch (role) {
    case NodeRole::token_coordinator:
    case NodeRole::ticket_coordinator:
    case NodeRole::coord_service:
    case NodeRole::redis: dl->AddNgon(c, r * 1.12f, col, 6, t); break;
    case NodeRole::cache:
    case NodeRole::storage: dl->AddRect(ImVec2(c.x - r * 0.9f, c.y - r * 0.9f), ImVec2(c.x + r * 0.9f, c.y + r * 0.9f), col, r * 0.32f, 0, t); break;
    case NodeRole::cache_client: dl->AddNgon(c, r * 1.15f, col, 4, t); break;
    case NodeRole::lb_server: dl->AddRect(ImVec2(c.x - r * 0.9f, c.y - r * 0.9f), ImVec2(c.x + r * 0.9f, c.y + r * 0.9f), col, r * 0.2f, 0, t); break;
    case NodeRole::lb_client: dl->AddNgon(c, r * 1.15f, col, 4, t); break;
    case NodeRole::balancer: dl->AddNgon(c, r * 1.3f, col, 3, t); break;
    case NodeRole::plain: dl->AddCircle(c, r * 0.85f, col, 0, t); break;
    case NodeRole::token_client:
    default: dl->AddCircle(c, r, col, 0, t); break;
  }
}

void add_text_rotated(ImDrawList* dl, ImVec2 anchor, float angle, const char* text, ImU32 col, bool align_end) {
  const ImVec2 size = ImGui::CalcTextSize(text);
  const int first = dl->VtxBuffer.Size;
  const ImVec2 pos(align_end ? anchor.x - size.x : anchor.x, anchor.y - size.y * 0.5f);
  dl->AddText(pos, col, text);
  const float cs = std::cos(angle), sn = std::sin(angle);
  for (int i = first; i < dl->VtxBuffer.Size; ++i) {
    ImDrawVert& v = dl->VtxBuffer[i];
    const float x = v.pos.x - anchor.x, y = v.pos.y - anchor.y;
    v.pos = ImVec2(anchor.x + x * cs - y * sn, anchor.y + x * sn + y * cs);
  }
}

void legend_item_shape(NodeRole role, ImU32 fill, const char* label) {
  const float h = ImGui::GetTextLineHeight();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(h, h));
  add_node_shape(ImGui::GetWindowDrawList(), ImVec2(p.x + h * 0.5f, p.y + h * 0.5f), h * 0.36f, role, fill);
  ImGui::SameLine(0, 3);
  ImGui::TextUnformatted(label);
}

void legend_item_dot(ImU32 col, const char* label) {
  const float h = ImGui::GetTextLineHeight();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(h * 0.8f, h));
  ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + h * 0.4f, p.y + h * 0.5f), h * 0.22f, col, 10);
  ImGui::SameLine(0, 3);
  ImGui::TextUnformatted(label);
}

float distance_sq_to_segment(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float abx = b.x - a.x, aby = b.y - a.y;
  const float len_sq = abx * abx + aby * aby;
  float t = len_sq > 0 ? ((p.x - a.x) * abx + (p.y - a.y) * aby) / len_sq : 0.0f;
  t = std::clamp(t, 0.0f, 1.0f);
  const float dx = a.x + abx * t - p.x, dy = a.y + aby * t - p.y;
  return dx * dx + dy * dy;
}

bool icon_button(const char* id, Icon icon, const char* tooltip, bool enabled) {
  const float size = ImGui::GetFrameHeight();
  if (!enabled) ImGui::BeginDisabled();
  const bool pressed = ImGui::Button(id, ImVec2(size * 1.25f, size));
  if (!enabled) ImGui::EndDisabled();
  if (tooltip && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tooltip);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  const ImVec2 c((a.x + b.x) * 0.5f, (a.y + b.y) * 0.5f);
  const float h = size * 0.26f;
  const ImU32 col = enabled ? colour::text : colour::text_faint;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  auto tri_right = [&](float cx) {
    dl->AddTriangleFilled(ImVec2(cx - h * 0.7f, c.y - h), ImVec2(cx + h * 0.8f, c.y), ImVec2(cx - h * 0.7f, c.y + h), col);
  };
  auto tri_left = [&](float cx) {
    dl->AddTriangleFilled(ImVec2(cx + h * 0.7f, c.y - h), ImVec2(cx - h * 0.8f, c.y), ImVec2(cx + h * 0.7f, c.y + h), col);
  };
  auto bar = [&](float cx) { dl->AddRectFilled(ImVec2(cx - h * 0.17f, c.y - h), ImVec2(cx + h * 0.17f, c.y + h), col); };
  switch (icon) {
    case Icon::play: tri_right(c.x + h * 0.1f); break;
    case Icon::pause: add_pause_glyph(dl, c, h, col); break;
    case Icon::step: tri_right(c.x - h * 0.3f); bar(c.x + h * 0.75f); break;
    case Icon::step_back: bar(c.x - h * 0.75f); tri_left(c.x + h * 0.3f); break;
    case Icon::to_start: bar(c.x - h * 1.1f); tri_left(c.x - h * 0.05f); tri_left(c.x + h * 1.0f); break;
    case Icon::to_end: tri_right(c.x - h * 1.0f); tri_right(c.x + h * 0.05f); bar(c.x + h * 1.1f); break;
    case Icon::next_delivery:
      tri_right(c.x - h * 0.5f);
      dl->AddCircleFilled(ImVec2(c.x + h * 0.85f, c.y), h * 0.42f, payload_colour_at(3), 10);
      break;
  }
  return pressed;
}

void heading(const char* text) {
  ImGuiIO& io = ImGui::GetIO();
  const bool big = io.Fonts->Fonts.Size > 1;
  if (big) ImGui::PushFont(io.Fonts->Fonts[1]);
  ImGui::TextUnformatted(text);
  if (big) ImGui::PopFont();
}

void banner(const char* text, ImU32 bg, ImU32 fg) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  const float wrap_w = w - ImGui::GetStyle().FramePadding.x * 2;
  const ImVec2 ts = ImGui::CalcTextSize(text, nullptr, false, wrap_w);
  const float h = ts.y + ImGui::GetStyle().FramePadding.y * 2;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), bg, 4.0f);
  dl->AddText(nullptr, 0.0f, ImVec2(p.x + ImGui::GetStyle().FramePadding.x, p.y + ImGui::GetStyle().FramePadding.y), fg, text,
              nullptr, wrap_w);
  ImGui::Dummy(ImVec2(w, h));
}

}  // namespace dsplay::ui
