// The colour scheme and drawing helpers shared by all panels, so a colour means the same thing
// everywhere (a TokenGrant is the same gold in the cluster view, the space-time diagram and the
// legends; a ring member has one hue in the ring view and around its node in the cluster view).
#pragma once
#include <imgui.h>

#include <cstdint>

#include "core/command.hpp"
#include "core/message.hpp"
#include "core/process.hpp"
#include "core/trace.hpp"

namespace dsplay::ui {

namespace colour {
constexpr ImU32 canvas_bg = IM_COL32(16, 19, 26, 255);
constexpr ImU32 canvas_border = IM_COL32(44, 50, 64, 255);
constexpr ImU32 grid = IM_COL32(255, 255, 255, 16);
constexpr ImU32 grid_strong = IM_COL32(255, 255, 255, 34);
constexpr ImU32 text = IM_COL32(226, 231, 239, 255);
constexpr ImU32 text_dim = IM_COL32(142, 152, 170, 255);
constexpr ImU32 text_faint = IM_COL32(100, 108, 124, 255);
constexpr ImU32 accent = IM_COL32(92, 170, 255, 255);
constexpr ImU32 select = IM_COL32(255, 255, 255, 255);
constexpr ImU32 danger = IM_COL32(238, 78, 78, 255);
constexpr ImU32 danger_bg = IM_COL32(120, 28, 34, 235);
constexpr ImU32 warning = IM_COL32(246, 190, 70, 255);
constexpr ImU32 warning_bg = IM_COL32(112, 80, 16, 235);
constexpr ImU32 ok = IM_COL32(84, 204, 124, 255);
constexpr ImU32 token_gold = IM_COL32(255, 206, 64, 255);
// node states
constexpr ImU32 idle = IM_COL32(104, 116, 136, 255);
constexpr ImU32 waiting = IM_COL32(240, 168, 48, 255);
constexpr ImU32 active = IM_COL32(70, 196, 112, 255);
constexpr ImU32 serving = IM_COL32(72, 142, 240, 255);
constexpr ImU32 crashed_fill = IM_COL32(58, 24, 28, 255);
constexpr ImU32 crashed_mark = IM_COL32(240, 74, 74, 255);
constexpr ImU32 paused = IM_COL32(112, 116, 126, 255);
constexpr ImU32 node_outline = IM_COL32(10, 12, 16, 255);
// links
constexpr ImU32 link = IM_COL32(150, 165, 190, 26);
constexpr ImU32 link_hover = IM_COL32(150, 190, 255, 170);
constexpr ImU32 link_cut = IM_COL32(236, 70, 70, 230);
// the future on the timeline / space-time diagram
constexpr ImU32 future_veil = IM_COL32(16, 19, 26, 165);
constexpr ImU32 now_cursor = IM_COL32(255, 255, 255, 200);
}  // namespace colour

// One window's draw list can address 64k vertices with ImGui's 16-bit indices, and WebGL2 has no
// vertex offsets to go beyond; bulk drawing (messages, arrows, ticks) stops at this budget so a
// huge scene degrades to "some items not drawn" instead of garbage triangles.
constexpr int kBulkVertexBudget = 54000;
inline bool vertex_room(const ImDrawList* dl, int more = 32) { return dl->VtxBuffer.Size + more <= kBulkVertexBudget; }

ImU32 with_alpha(ImU32 col, int alpha);
ImU32 lerp_colour(ImU32 a, ImU32 b, float t);
ImVec4 to_vec4(ImU32 col);

// Node fill by activity (NodeActivity + crashed/paused).
ImU32 activity_colour(NodeActivity activity);
const char* activity_name(NodeActivity activity);
// Messages by payload type; the trace's payload label ("TokenGrant") maps to the same colour.
ImU32 payload_colour(const Payload& payload);
ImU32 payload_label_colour(const char* label);
// One distinct hue per ring member (golden-ratio hue steps), stable by member index.
ImU32 member_colour(std::uint32_t member, float value = 0.95f);
// Partition groups (group 0 is "no tint").
ImU32 group_colour(std::uint32_t group);

// Legend entries for payload types, in protocol order.
struct LegendEntry {
  const char* name;
  ImU32 col;
};
const LegendEntry* payload_legend(int& count);
// The payload type a trace label names (its index in payload_legend), or -1.
int payload_label_index(const char* label);

// Applies the dsplay look to the current ImGui style (colours, rounding, spacing x ui_scale).
void apply_style(float ui_scale);

// --- drawing helpers (all draw into an ImDrawList, no widgets) ---
void add_dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness, float dash_px, float gap_px);
void add_arrow_head(ImDrawList* dl, ImVec2 tip, ImVec2 dir_unit, float size, ImU32 col);
void add_cross(ImDrawList* dl, ImVec2 c, float half, ImU32 col, float thickness);
void add_pause_glyph(ImDrawList* dl, ImVec2 c, float half, ImU32 col);
// Diagonal stripes clipped to a circle of radius r (a "frozen" look).
void add_stripes_in_circle(ImDrawList* dl, ImVec2 c, float r, ImU32 col, float spacing_px);
// The node marker: its shape says the role (hexagon coordinator, circle token client, rounded
// square cache server, diamond cache client, small circle plain).
void add_node_shape(ImDrawList* dl, ImVec2 c, float r, NodeRole role, ImU32 fill);
void add_node_outline(ImDrawList* dl, ImVec2 c, float r, NodeRole role, ImU32 col, float thickness);
// Text rotated by angle_rad around `anchor`; the text starts at the anchor (or ends there when
// align_end). Used for radial labels when many nodes sit on a circle.
void add_text_rotated(ImDrawList* dl, ImVec2 anchor, float angle_rad, const char* text, ImU32 col, bool align_end);
// A small coloured swatch + label as one legend item, laid out with the cursor (SameLine between items).
void legend_item_shape(NodeRole role, ImU32 fill, const char* label);
void legend_item_dot(ImU32 col, const char* label);
// Squared distance from p to segment ab.
float distance_sq_to_segment(ImVec2 p, ImVec2 a, ImVec2 b);

// A square toolbar button with a drawn icon (no font glyphs needed).
enum class Icon : std::uint8_t { play, pause, step, step_back, to_start, to_end, next_delivery };
bool icon_button(const char* id, Icon icon, const char* tooltip, bool enabled = true);

// Heading text in the larger font if the shell loaded one (Fonts[1]).
void heading(const char* text);
// A one-line coloured banner filling the available width.
void banner(const char* text, ImU32 bg, ImU32 fg);

}  // namespace dsplay::ui
