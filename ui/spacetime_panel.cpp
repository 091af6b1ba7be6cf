// The space-time diagram (see spacetime_panel.hpp).
#include "ui/spacetime_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "ui/theme.hpp"
#include "ui/world_helpers.hpp"

namespace dsplay::ui {

namespace {
// Caps keep the draw list well under the 64k vertices a 16-bit-index draw list can address
// (WebGL2 has no vertex offsets) and the frame cheap; beyond them arrows are sampled by msg id.
constexpr std::size_t kMaxArrows = 2500;
constexpr std::size_t kMaxArrowHeads = 1200;
constexpr std::size_t kMaxInFlight = 1500;

bool is_mark(TraceKind kind) {
  switch (kind) {
    case TraceKind::crash:
    case TraceKind::restart:
    case TraceKind::pause:
    case TraceKind::resume:
    case TraceKind::node_added:
    case TraceKind::node_removed:
    case TraceKind::command:
    case TraceKind::violation: return true;
    default: return false;
  }
}

// The Partition command that produced a "partition" record: the user's command log by event
// number, else the scenario script by time.
const Partition* find_partition(const Session& session, const TraceRecord& r) {
  for (const LoggedCommand& c : session.command_log()) {
    if (c.event == r.event) return std::get_if<Partition>(&c.command);
  }
  for (const TimedCommand& c : session.scenario().script) {
    if (c.at_us == r.time_us) {
      if (const auto* p = std::get_if<Partition>(&c.command)) return p;
    }
  }
  return nullptr;
}
}  // namespace

void SpacetimePanel::update_marks(const View& view) {
  const Session& session = view.session;
  const TraceLog& trace = session.trace();
  if (generation_ != view.ui.trace_generation || scanned_ > trace.size()) {
    generation_ = view.ui.trace_generation;
    scanned_ = 0;
    marks_.clear();
    partitions_.clear();
  }
  static const char* const kPartition = command_name(Command(Partition{}));
  static const char* const kHeal = command_name(Command(HealNetwork{}));
  for (; scanned_ < trace.size(); ++scanned_) {
    const TraceRecord& r = trace[scanned_];
    if (!is_mark(r.kind)) continue;
    marks_.push_back({scanned_});
    if (r.kind != TraceKind::command) continue;
    const bool partition = std::strcmp(r.label, kPartition) == 0;
    const bool heal = std::strcmp(r.label, kHeal) == 0;
    if (!partition && !heal) continue;
    if (!partitions_.empty() && partitions_.back().end_us == kSimTimeMaxUs) partitions_.back().end_us = r.time_us;
    if (!partition) continue;
    PartitionSpan span;
    span.start_us = r.time_us;
    span.end_us = kSimTimeMaxUs;
    span.group_of_node.assign(view.world.nodes().size(), 0);
    if (const Partition* p = find_partition(session, r)) {
      for (std::size_t g = 0; g < p->groups.size(); ++g) {
        for (const std::string& name : p->groups[g]) {
          if (auto id = view.world.find_node(name); id && *id < span.group_of_node.size())
            span.group_of_node[*id] = static_cast<std::uint32_t>(g);
        }
      }
    }
    partitions_.push_back(std::move(span));
  }
}

void SpacetimePanel::draw(const View& view, UiCommands& out) {
  const Session& session = view.session;
  const World& world = view.world;
  const TraceLog& trace = session.trace();
  const auto& nodes = world.nodes();
  const float s = view.scale;
  const ImGuiIO& io = ImGui::GetIO();
  update_marks(view);

  if (window_us_ <= 0) {
    window_us_ = std::clamp(mean_latency_us(world.network().defaults) * 30.0, 0.5e6, 10e6);
  }

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImVec2 size = ImGui::GetContentRegionAvail();
  size.x = std::max(size.x, 80.0f);
  size.y = std::max(size.y, 40.0f);
  ImGui::InvisibleButton("##spacetime", size, ImGuiButtonFlags_MouseButtonLeft);
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  if (hovered && io.MouseWheel != 0) {
    window_us_ = std::clamp(window_us_ * std::pow(1.25, -static_cast<double>(io.MouseWheel)), 1000.0, 3600e6);
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 end(origin.x + size.x, origin.y + size.y);
  dl->AddRectFilled(origin, end, colour::canvas_bg, 4.0f);
  dl->PushClipRect(origin, end, true);

  // --- geometry ---
  const float line_h = ImGui::GetTextLineHeight();
  float label_w = 0;
  for (const Node& n : nodes) label_w = std::max(label_w, ImGui::CalcTextSize(n.name.c_str()).x);
  label_w = std::min(label_w + 14 * s, 130 * s);
  const float x0 = origin.x + label_w, x1 = end.x - 8 * s;
  const float axis_h = line_h + 4 * s;
  const float y0 = origin.y + axis_h, y1 = end.y - 4 * s;
  const std::size_t lanes = nodes.size();
  const float lane_h = lanes ? (y1 - y0) / static_cast<float>(lanes) : 1.0f;
  auto lane_y = [&](NodeId id) { return y0 + lane_h * (static_cast<float>(id) + 0.5f); };

  const SimTimeUs now = world.now_us();
  const double window = window_us_;
  double t0 = static_cast<double>(now) - 0.82 * window;
  if (t0 < 0) t0 = 0;
  const double t1 = t0 + window;
  const float px_per_us = static_cast<float>((x1 - x0) / window);
  auto x_of = [&](double t) { return x0 + static_cast<float>((t - t0)) * px_per_us; };
  const ImVec2 mouse = io.MousePos;
  const bool mouse_in_plot = hovered && mouse.x >= x0 && mouse.y >= y0;

  // --- lanes, partitions and lifecycle spans ---
  for (NodeId id = 0; id < lanes; ++id) {
    const float y = lane_y(id);
    if (view.selection.contains(id)) {
      dl->AddRectFilled(ImVec2(origin.x, y - lane_h * 0.5f), ImVec2(end.x, y + lane_h * 0.5f), with_alpha(colour::accent, 28));
    } else if (id % 2 == 1) {
      dl->AddRectFilled(ImVec2(origin.x, y - lane_h * 0.5f), ImVec2(end.x, y + lane_h * 0.5f), IM_COL32(255, 255, 255, 6));
    }
  }
  for (const PartitionSpan& span : partitions_) {
    if (static_cast<double>(span.end_us) < t0 || static_cast<double>(span.start_us) > t1) continue;
    const float sx0 = std::max(x0, x_of(static_cast<double>(span.start_us)));
    const float sx1 = span.end_us == kSimTimeMaxUs ? x1 : std::min(x1, x_of(static_cast<double>(span.end_us)));
    for (NodeId id = 0; id < lanes && id < span.group_of_node.size(); ++id) {
      const std::uint32_t g = span.group_of_node[id];
      if (g == 0) continue;
      const float y = lane_y(id);
      dl->AddRectFilled(ImVec2(sx0, y - lane_h * 0.5f), ImVec2(sx1, y + lane_h * 0.5f), with_alpha(group_colour(g), 50));
    }
    dl->AddLine(ImVec2(sx0, y0), ImVec2(sx0, y1), with_alpha(colour::danger, 160), 1.0f);
    dl->AddText(ImVec2(sx0 + 3 * s, y0), with_alpha(colour::danger, 220), "partition");
  }
  // Per-node state across the window, replayed from the marks (they are few).
  {
    std::vector<double> down_since(lanes, -1), paused_since(lanes, -1), removed_at(lanes, -1);
    auto flush_down = [&](NodeId id, double until) {
      if (down_since[id] < 0) return;
      const float a = std::max(x0, x_of(down_since[id])), b = std::min(x1, x_of(until));
      const float y = lane_y(id);
      if (b > a) dl->AddRectFilled(ImVec2(a, y - std::min(lane_h * 0.3f, 5 * s)), ImVec2(b, y + std::min(lane_h * 0.3f, 5 * s)), IM_COL32(150, 40, 46, 120));
    };
    auto flush_paused = [&](NodeId id, double until) {
      if (paused_since[id] < 0) return;
      const float a = std::max(x0, x_of(paused_since[id])), b = std::min(x1, x_of(until));
      const float y = lane_y(id);
      const float h = std::min(lane_h * 0.3f, 5 * s);
      if (b > a) {
        dl->AddRectFilled(ImVec2(a, y - h), ImVec2(b, y + h), IM_COL32(120, 124, 134, 90));
        for (float x = a; x < b; x += 6 * s) dl->AddLine(ImVec2(x, y + h), ImVec2(std::min(x + 2 * h, b), y - h), IM_COL32(170, 174, 184, 110), 1.0f);
      }
    };
    for (const Mark& m : marks_) {
      const TraceRecord& r = trace[m.index];
      if (r.node >= lanes) continue;
      const double t = static_cast<double>(r.time_us);
      switch (r.kind) {
        case TraceKind::crash: down_since[r.node] = t; break;
        case TraceKind::restart:
          flush_down(r.node, t);
          down_since[r.node] = -1;
          break;
        case TraceKind::pause: paused_since[r.node] = t; break;
        case TraceKind::resume:
          flush_paused(r.node, t);
          paused_since[r.node] = -1;
          break;
        case TraceKind::node_removed: removed_at[r.node] = t; break;
        default: break;
      }
    }
    for (NodeId id = 0; id < lanes; ++id) {
      flush_down(id, t1 + 1);
      flush_paused(id, t1 + 1);
      const float y = lane_y(id);
      const float lx1 = removed_at[id] >= 0 ? std::min(x1, x_of(removed_at[id])) : x1;
      if (lx1 > x0) dl->AddLine(ImVec2(x0, y), ImVec2(lx1, y), IM_COL32(120, 132, 155, 90), 1.0f);
    }
  }

  // --- time grid ---
  {
    const double step = nice_step(window / std::max(2.0, static_cast<double>(x1 - x0) / (90.0 * s)));
    for (double t = std::ceil(t0 / step) * step; t <= t1; t += step) {
      const float x = x_of(t);
      dl->AddLine(ImVec2(x, y0 - 2 * s), ImVec2(x, y1), colour::grid, 1.0f);
      const SimTimeUs tick_us = static_cast<SimTimeUs>(std::llround(t));
      const std::string label = tick_us == 0 ? std::string("0") : format_duration(tick_us);
      dl->AddText(ImVec2(x + 3 * s, origin.y + 2 * s), colour::text_faint, label.c_str());
    }
  }

  // --- messages: pair each delivery / drop with its send ---
  std::size_t hovered_record = SIZE_MAX;
  float hover_best = (5 * s) * (5 * s);
  auto consider = [&](ImVec2 a, ImVec2 b, std::size_t index) {
    if (!mouse_in_plot) return;
    const float dsq = distance_sq_to_segment(mouse, a, b);
    if (dsq < hover_best) {
      hover_best = dsq;
      hovered_record = index;
    }
  };
  const double lookback = window;
  const std::size_t scan_begin = first_record_at_or_after(trace, trace.size(), static_cast<SimTimeUs>(std::max(0.0, t0 - lookback)));
  const std::size_t window_begin = first_record_at_or_after(trace, trace.size(), static_cast<SimTimeUs>(t0));
  const std::size_t scan_end = first_record_at_or_after(trace, trace.size(), static_cast<SimTimeUs>(t1) + 1);
  sends_.clear();
  std::size_t arrivals = 0;
  for (std::size_t i = scan_begin; i < scan_end; ++i) {
    const TraceRecord& r = trace[i];
    if (r.kind == TraceKind::send) sends_.push_back({r.msg_id, r.time_us, r.node});
    else if (i >= window_begin && (r.kind == TraceKind::deliver || r.kind == TraceKind::drop)) ++arrivals;
  }
  const std::uint64_t stride = arrivals > kMaxArrows ? (arrivals + kMaxArrows - 1) / kMaxArrows : 1;
  const float head = std::clamp(lane_h * 0.35f, 3.0f * s, 7.0f * s);
  const bool heads = arrivals / stride <= kMaxArrowHeads;
  for (std::size_t i = window_begin; i < scan_end; ++i) {
    const TraceRecord& r = trace[i];
    if (r.kind != TraceKind::deliver && r.kind != TraceKind::drop) continue;
    if (stride > 1 && r.msg_id % stride != 0) continue;
    if (!vertex_room(dl)) break;
    auto it = std::lower_bound(sends_.begin(), sends_.end(), r.msg_id, [](const Send& a, std::uint64_t id) { return a.msg_id < id; });
    if (it == sends_.end() || it->msg_id != r.msg_id) continue;
    const NodeId from = r.kind == TraceKind::deliver ? r.peer : r.node;
    const NodeId to = r.kind == TraceKind::deliver ? r.node : r.peer;
    if (from >= lanes || to >= lanes) continue;
    const ImVec2 a(x_of(static_cast<double>(it->time_us)), lane_y(from));
    ImVec2 b(x_of(static_cast<double>(r.time_us)), lane_y(to));
    const ImU32 col = payload_label_colour(r.label);
    if (r.kind == TraceKind::drop) {
      b = ImVec2(a.x + (b.x - a.x) * 0.8f, a.y + (b.y - a.y) * 0.8f);
      dl->AddLine(a, b, with_alpha(col, 150), 1.0f);
      add_cross(dl, b, head * 0.7f, colour::danger, 2.0f);
    } else {
      dl->AddLine(a, b, with_alpha(col, 210), 1.0f);
      if (heads) {
        const float dx = b.x - a.x, dy = b.y - a.y;
        const float len = std::sqrt(dx * dx + dy * dy);
        if (len > head * 2) add_arrow_head(dl, b, ImVec2(dx / len, dy / len), head, col);
      }
      // Fencing tokens ride on the lock family's messages: write them on the arrow.
      if (heads) {
        char token[32] = "";
        ImU32 token_col = col;
        if (std::strcmp(r.label, StorageWrite::kName) == 0 && r.a > 0) {
          std::snprintf(token, sizeof token, "token %lld", static_cast<long long>(r.a));
        } else if (std::strcmp(r.label, StorageAck::kName) == 0 && r.b == 0) {
          std::snprintf(token, sizeof token, "REJECTED %lld", static_cast<long long>(r.a));
          token_col = colour::danger;
        } else if (std::strcmp(r.label, RedisReply::kName) == 0 && r.b > 0) {
          std::snprintf(token, sizeof token, "token %lld", static_cast<long long>(r.b));
        }
        // requests: by the sender's end of the arrow; answers: by the receiver's end
        const bool answer = token_col == colour::danger || std::strcmp(r.label, RedisReply::kName) == 0;
        const ImVec2 at = answer ? ImVec2(b.x + 4 * s, b.y - ImGui::GetTextLineHeight() * 0.5f)
                                 : ImVec2(a.x + 4 * s, a.y - ImGui::GetTextLineHeight() - 1 * s);
        if (token[0] != 0) dl->AddText(at, token_col, token);
      }
    }
    consider(a, b, i);
  }

  // --- messages still in flight at the present (their delivery is not computed yet) ---
  if (!session.in_past()) {
    const auto in_flight = world.messages_in_flight();
    const std::size_t flight_stride = in_flight.size() > kMaxInFlight ? (in_flight.size() + kMaxInFlight - 1) / kMaxInFlight : 1;
    for (std::size_t k = 0; k < in_flight.size(); k += flight_stride) {
      const Message* m = in_flight[k];
      if (m->from >= lanes || m->to >= lanes) continue;
      if (!vertex_room(dl)) break;
      const ImVec2 a(x_of(static_cast<double>(m->sent_us)), lane_y(m->from));
      const ImVec2 b(x_of(static_cast<double>(m->deliver_us)), lane_y(m->to));
      if (b.x < x0 || a.x > x1) continue;
      const SimTimeUs span = std::max<SimTimeUs>(m->deliver_us - m->sent_us, 1);
      const float t = std::clamp(static_cast<float>(static_cast<double>(now - m->sent_us) / static_cast<double>(span)), 0.0f, 1.0f);
      const ImVec2 p(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
      const ImU32 col = payload_colour(m->payload);
      dl->AddLine(a, p, with_alpha(col, 210), 1.0f);
      dl->AddLine(p, b, with_alpha(col, 60), 1.0f);  // where it will land (drawn under the veil)
      dl->AddRectFilled(ImVec2(p.x - 2 * s, p.y - 2 * s), ImVec2(p.x + 2 * s, p.y + 2 * s), col);
    }
  }

  // --- marks on lanes: timers and notes (cheap ticks), lifecycle, violations ---
  {
    std::size_t timers = 0;
    for (std::size_t i = window_begin; i < scan_end; ++i) timers += trace[i].kind == TraceKind::timer ? 1 : 0;
    const bool draw_timers = timers < 3000 && lane_h >= 6 * s;
    for (std::size_t i = window_begin; i < scan_end; ++i) {
      const TraceRecord& r = trace[i];
      if (r.node >= lanes) continue;
      if (!vertex_room(dl)) break;
      if (r.kind == TraceKind::timer && draw_timers) {
        const ImVec2 c(x_of(static_cast<double>(r.time_us)), lane_y(r.node));
        dl->AddLine(ImVec2(c.x, c.y - 3 * s), ImVec2(c.x, c.y + 3 * s), IM_COL32(170, 180, 200, 110), 1.0f);
      } else if (r.kind == TraceKind::note) {
        const ImVec2 c(x_of(static_cast<double>(r.time_us)), lane_y(r.node));
        dl->AddNgonFilled(c, 3.5f * s, IM_COL32(240, 230, 140, 220), 4);
        consider(ImVec2(c.x - 0.5f, c.y), ImVec2(c.x + 0.5f, c.y), i);
      }
    }
  }
  for (const Mark& m : marks_) {
    const TraceRecord& r = trace[m.index];
    const double t = static_cast<double>(r.time_us);
    if (t < t0 || t > t1) continue;
    const float x = x_of(t);
    if (r.kind == TraceKind::violation) {
      dl->AddLine(ImVec2(x, y0), ImVec2(x, y1), colour::danger, 2.0f);
      consider(ImVec2(x, y0), ImVec2(x, y1), m.index);
      // The nodes involved, and the earlier events that caused it (the lock checker records their
      // event numbers in a and b): a ring on the lane where each happened, tied to the red line.
      for (const NodeId who : {r.node, r.peer})
        if (who < lanes) dl->AddCircleFilled(ImVec2(x, lane_y(who)), 4.0f * s, colour::danger, 12);
      for (const std::int64_t cause : {r.a, r.b}) {
        if (cause <= 0 || static_cast<std::uint64_t>(cause) == r.event) continue;
        const std::size_t ci = first_record_of_event(trace, trace.size(), static_cast<std::uint64_t>(cause));
        if (ci >= trace.size() || trace[ci].event != static_cast<std::uint64_t>(cause) || trace[ci].node >= lanes) continue;
        const ImVec2 c(x_of(static_cast<double>(trace[ci].time_us)), lane_y(trace[ci].node));
        dl->AddCircle(c, 7.0f * s, colour::danger, 16, 2.0f);
        add_dashed_line(dl, c, ImVec2(x, c.y), with_alpha(colour::danger, 200), 1.5f, 4 * s, 3 * s);
        dl->AddText(ImVec2(c.x + 8 * s, c.y - ImGui::GetTextLineHeight() - 2 * s), colour::danger, "cause");
        consider(ImVec2(c.x - 7 * s, c.y), ImVec2(c.x + 7 * s, c.y), ci);
      }
      continue;  // its label goes on top of the veil, below
    }
    if (r.node >= lanes) {
      if (r.kind == TraceKind::command) {  // network-wide commands (partition, heal, set)
        dl->AddLine(ImVec2(x, y0), ImVec2(x, y0 + 6 * s), IM_COL32(150, 200, 255, 220), 2.0f);
        consider(ImVec2(x, y0), ImVec2(x, y0 + 6 * s), m.index);
      }
      continue;
    }
    const ImVec2 c(x, lane_y(r.node));
    const float h = std::clamp(lane_h * 0.32f, 3.0f * s, 6.0f * s);
    switch (r.kind) {
      case TraceKind::crash: add_cross(dl, c, h, colour::crashed_mark, 2.5f * s); break;
      case TraceKind::restart:
        if (r.time_us == 0 && std::strcmp(r.label, "start") == 0) continue;  // every node starts at 0
        dl->AddTriangleFilled(ImVec2(c.x - h, c.y + h), ImVec2(c.x + h, c.y + h), ImVec2(c.x, c.y - h), colour::ok);
        break;
      case TraceKind::pause:
      case TraceKind::resume: add_pause_glyph(dl, c, h, r.kind == TraceKind::pause ? colour::text : colour::text_dim); break;
      case TraceKind::node_added: dl->AddCircleFilled(c, h, colour::ok, 10); break;
      case TraceKind::node_removed: dl->AddRectFilled(ImVec2(c.x - h, c.y - h), ImVec2(c.x + h, c.y + h), colour::text_dim); break;
      case TraceKind::command: {
        const float yb = r.peer < lanes ? lane_y(r.peer) : c.y;
        add_dashed_line(dl, ImVec2(x, c.y), ImVec2(x, yb), IM_COL32(150, 200, 255, 200), 1.5f, 3 * s, 2 * s);
        dl->AddCircleFilled(c, h * 0.6f, IM_COL32(150, 200, 255, 230), 8);
        break;
      }
      default: break;
    }
    consider(ImVec2(c.x - h, c.y), ImVec2(c.x + h, c.y), m.index);
  }

  // --- the future (known, replayable) behind a veil; the "now" cursor ---
  const float now_x = x_of(static_cast<double>(now));
  if (now_x < x1) dl->AddRectFilled(ImVec2(std::max(now_x, x0), y0 - axis_h), ImVec2(end.x, end.y), colour::future_veil);
  dl->AddLine(ImVec2(now_x, origin.y), ImVec2(now_x, y1), colour::now_cursor, 1.5f);
  {
    const ImVec2 ts = ImGui::CalcTextSize("now");
    dl->AddRectFilled(ImVec2(now_x + 1, origin.y + 1), ImVec2(now_x + ts.x + 7 * s, origin.y + ts.y + 4 * s), IM_COL32(40, 46, 60, 255), 3.0f);
    dl->AddText(ImVec2(now_x + 4 * s, origin.y + 2 * s), colour::text, "now");
  }

  // violation labels stay readable even right at "now" (left of their line, over the veil)
  for (const Mark& m : marks_) {
    const TraceRecord& r = trace[m.index];
    const double t = static_cast<double>(r.time_us);
    if (r.kind != TraceKind::violation || t < t0 || t > t1) continue;
    const float x = x_of(t);
    const ImVec2 ts = ImGui::CalcTextSize(r.label);
    const float lx = std::max(x0 + 2 * s, x - ts.x - 8 * s);
    dl->AddRectFilled(ImVec2(lx - 3 * s, y1 - ts.y - 5 * s), ImVec2(lx + ts.x + 3 * s, y1 - 1), colour::danger_bg, 3.0f);
    dl->AddText(ImVec2(lx, y1 - ts.y - 3 * s), colour::text, r.label);
  }

  // --- lane labels in the gutter ---
  dl->AddRectFilled(ImVec2(origin.x, y0), ImVec2(x0 - 2 * s, y1), IM_COL32(20, 24, 32, 235));
  const int label_every = std::max(1, static_cast<int>(std::ceil(line_h * 0.85f / std::max(lane_h, 1.0f))));
  NodeId hovered_lane = kNoNode;
  for (NodeId id = 0; id < lanes; ++id) {
    const float y = lane_y(id);
    const bool selected = view.selection.contains(id);
    if (hovered && mouse.x < x0 && mouse.y >= y - lane_h * 0.5f && mouse.y < y + lane_h * 0.5f) hovered_lane = id;
    if (id % static_cast<NodeId>(label_every) != 0 && !selected && hovered_lane != id) continue;
    const Node& n = nodes[id];
    const ImU32 col = n.removed ? colour::text_faint : !n.up ? colour::crashed_mark : selected ? colour::select : colour::text_dim;
    dl->AddText(ImVec2(origin.x + 6 * s, y - line_h * 0.5f), col, n.name.c_str());
  }
  if (stride > 1) {
    char note[96];
    std::snprintf(note, sizeof note, "showing 1 in %llu messages: zoom in (mouse wheel)", static_cast<unsigned long long>(stride));
    const ImVec2 ts = ImGui::CalcTextSize(note);
    dl->AddRectFilled(ImVec2(x1 - ts.x - 10 * s, y1 - ts.y - 6 * s), ImVec2(x1, y1), IM_COL32(12, 14, 20, 210), 4.0f);
    dl->AddText(ImVec2(x1 - ts.x - 5 * s, y1 - ts.y - 3 * s), colour::warning, note);
  }
  dl->PopClipRect();

  // --- tooltips and clicks ---
  if (hovered_record != SIZE_MAX) {
    const TraceRecord& r = trace[hovered_record];
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(format_trace_record(r, view.node_names).c_str());
    if (r.kind == TraceKind::deliver || r.kind == TraceKind::drop) {
      auto it = std::lower_bound(sends_.begin(), sends_.end(), r.msg_id, [](const Send& a, std::uint64_t id) { return a.msg_id < id; });
      if (it != sends_.end() && it->msg_id == r.msg_id)
        ImGui::TextDisabled("in flight for %s", format_duration(r.time_us - it->time_us).c_str());
    }
    ImGui::TextDisabled("click to go to event %llu", static_cast<unsigned long long>(r.event));
    ImGui::EndTooltip();
  } else if (hovered_lane != kNoNode) {
    ImGui::SetTooltip("%s: click to select", nodes[hovered_lane].name.c_str());
  } else if (mouse_in_plot) {
    const double t = t0 + static_cast<double>(mouse.x - x0) / px_per_us;
    ImGui::SetTooltip("t = %s\nclick to go there \xc2\xb7 wheel to zoom (window %s)",
                      format_duration(static_cast<SimTimeUs>(t)).c_str(), format_duration(static_cast<SimTimeUs>(window)).c_str());
  }
  if (clicked) {
    if (hovered_record != SIZE_MAX) {
      out.act(SetPlaying{false});
      out.act(SeekEvent{trace[hovered_record].event});
    } else if (hovered_lane != kNoNode) {
      out.act(SelectNode{hovered_lane, io.KeyCtrl ? SelectMode::toggle : SelectMode::replace});
    } else if (mouse_in_plot) {
      const double t = t0 + static_cast<double>(mouse.x - x0) / px_per_us;
      out.act(SetPlaying{false});
      out.act(SeekTime{static_cast<SimTimeUs>(std::max(0.0, t))});
    }
  }
}

}  // namespace dsplay::ui
