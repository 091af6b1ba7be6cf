// The request-tracing panel (see trace_panel.hpp).
#include "ui/trace_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string_view>

#include "ui/theme.hpp"

namespace dsplay::ui {

namespace {

std::string duration_text(SimTimeUs us) {
  char text[32];
  if (us >= kUsPerS) std::snprintf(text, sizeof text, "%.3f s", static_cast<double>(us) / 1e6);
  else if (us >= kUsPerMs) std::snprintf(text, sizeof text, "%.2f ms", static_cast<double>(us) / 1e3);
  else std::snprintf(text, sizeof text, "%" PRId64 " us", static_cast<std::int64_t>(us));
  return text;
}

// A span's colour: balancer hops by hop, messages by payload type (the name's first words).
ImU32 span_colour(const monitor::RequestTrace& t, const monitor::Span& span, std::size_t index) {
  if (t.origin == monitor::TraceOrigin::balancer_request) {
    if (index == 0) return colour::accent;
    if (span.name.rfind("balancer", 0) == 0) return IM_COL32(190, 120, 255, 255);
    if (span.name == "queue wait") return colour::warning;
    if (span.name == "service") return colour::ok;
    return colour::serving;
  }
  if (index == 0) return colour::accent;
  const std::size_t cut = span.name.rfind(' ');
  const std::string label = cut == std::string::npos ? span.name : span.name.substr(0, cut);
  return payload_label_colour(label.c_str());
}

bool span_failed(const monitor::Span& span) {
  for (const auto& [key, value] : span.args)
    if (key == "outcome" && value != "delivered" && value != "lb done") return true;
  return false;
}

// A tick step of 1, 2 or 5 x 10^k microseconds giving at most about `ticks` ticks over `range_us`.
SimTimeUs tick_step_us(SimTimeUs range_us, int ticks) {
  SimTimeUs step = 1;
  for (;;) {
    for (SimTimeUs m : {1, 2, 5}) {
      if (range_us / (step * m) <= ticks) return step * m;
    }
    step *= 10;
  }
}

}  // namespace

std::optional<monitor::RequestTrace> TracePanel::take_event_log_filter() {
  std::optional<monitor::RequestTrace> out = std::move(log_filter_request_);
  log_filter_request_.reset();
  return out;
}

void TracePanel::reset(const View& view) {
  if (session_ != &view.session || generation_ != view.ui.trace_generation) {
    // Another run (scenario, seed, or a fork): the shown trace is gone. Going back in time keeps it.
    selected_.reset();
    selected_order_.clear();
    user_selected_ = false;
  }
  session_ = &view.session;
  generation_ = view.ui.trace_generation;
  node_count_ = view.world.nodes().size();
  seen_ = 0;
  tracer_.emplace(monitor::request_tracing_setup(view.world));
  completed_ = failed_ = 0;
  slowest_.clear();
  latest_.clear();
}

void TracePanel::keep(monitor::RequestTrace trace, bool among_latest) {
  ++completed_;
  if (!trace.ok) ++failed_;
  if (among_latest) {
    latest_.push_back(trace);
    if (latest_.size() > kKept) latest_.erase(latest_.begin());
  }
  if (slowest_.size() < kKept || trace.duration_us() > slowest_.back().duration_us()) {
    const auto at = std::upper_bound(slowest_.begin(), slowest_.end(), trace.duration_us(),
                                     [](SimTimeUs d, const monitor::RequestTrace& t) { return d > t.duration_us(); });
    slowest_.insert(at, std::move(trace));
    if (slowest_.size() > kKept) slowest_.pop_back();
  }
}

void TracePanel::sync(const View& view) {
  const TraceLog& trace = view.session.trace();
  const std::size_t end = std::min(view.session.trace_end(), trace.size());
  if (session_ != &view.session || generation_ != view.ui.trace_generation || end < seen_ ||
      node_count_ != view.world.nodes().size() || !tracer_)
    reset(view);
  // Bounded work per frame: a long balancing run is caught up over a few frames.
  constexpr std::size_t kFeedPerFrame = 200'000;
  const std::size_t stop = std::min(end, seen_ + kFeedPerFrame);
  tracer_->feed(trace, seen_, stop);
  seen_ = stop;
  // Only the last kKept of a batch can stay among the latest: the others are not copied there.
  std::vector<monitor::RequestTrace> done = tracer_->take_completed();
  const std::size_t first_latest = done.size() > kKept ? done.size() - kKept : 0;
  for (std::size_t i = 0; i < done.size(); ++i) keep(std::move(done[i]), i >= first_latest);
  // Until the user picks one, the waterfall follows the slowest request so far.
  if (!user_selected_ && !slowest_.empty() && (!selected_ || !(selected_->trace_id == slowest_.front().trace_id)))
    select(slowest_.front());
}

void TracePanel::select(const monitor::RequestTrace& trace) {
  selected_ = trace;
  // Depth-first order, children by start time, so each span sits under its parent.
  const auto& spans = trace.spans;
  selected_order_.clear();
  std::vector<std::size_t> stack;
  if (!spans.empty()) stack.push_back(0);
  while (!stack.empty()) {
    const std::size_t at = stack.back();
    stack.pop_back();
    selected_order_.push_back(at);
    std::vector<std::size_t> children;
    for (std::size_t i = 0; i < spans.size(); ++i)
      if (spans[i].parent_span_id == spans[at].span_id && spans[i].parent_span_id != 0) children.push_back(i);
    std::stable_sort(children.begin(), children.end(), [&](std::size_t a, std::size_t b) { return spans[a].start_us < spans[b].start_us; });
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
    if (selected_order_.size() > spans.size()) break;  // (a tree cannot loop; guard anyway)
  }
}

void TracePanel::draw_list(const View& view) {
  ImGui::Text("%" PRIu64 " requests traced", completed_);
  if (failed_ > 0) {
    ImGui::SameLine();
    ImGui::TextColored(to_vec4(colour::danger), "(%" PRIu64 " failed)", failed_);
  }
  if (tracer_ && tracer_->open_traces() > 0) {
    ImGui::SameLine();
    ImGui::TextDisabled("%zu in flight", tracer_->open_traces());
  }
  if (ImGui::RadioButton("slowest", !show_latest_)) show_latest_ = false;
  ImGui::SameLine();
  if (ImGui::RadioButton("latest", show_latest_)) show_latest_ = true;
  const std::vector<monitor::RequestTrace>& rows = show_latest_ ? latest_ : slowest_;
  if (rows.empty()) {
    ImGui::TextDisabled(view.world.lb() != nullptr ? "No request has finished yet." : "No client request has finished yet.");
    return;
  }
  constexpr ImGuiTableFlags kTable = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp |
                                     ImGuiTableFlags_BordersInnerV;
  if (!ImGui::BeginTable("##traces", 4, kTable)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("duration");
  ImGui::TableSetupColumn("client");
  ImGui::TableSetupColumn("what");
  ImGui::TableSetupColumn("at");
  ImGui::TableHeadersRow();
  const std::size_t count = rows.size();
  for (std::size_t n = 0; n < count; ++n) {
    const monitor::RequestTrace& t = show_latest_ ? rows[count - 1 - n] : rows[n];  // latest: newest first
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::PushID(static_cast<int>(n));
    const bool selected = selected_ && selected_->trace_id == t.trace_id;
    const std::string label = duration_text(t.duration_us());
    if (ImGui::Selectable(label.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns)) {
      select(t);
      user_selected_ = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("trace %s\n%zu spans\nclick: show its waterfall", monitor::to_hex(t.trace_id).c_str(), t.spans.size());
    ImGui::PopID();
    ImGui::TableSetColumnIndex(1);
    ImGui::TextUnformatted(view.name_of(t.client));
    ImGui::TableSetColumnIndex(2);
    const std::string what = t.spans.empty() ? std::string() : t.spans.front().name.substr(t.spans.front().name.find(' ') + 1);
    if (t.ok) ImGui::TextUnformatted(t.origin == monitor::TraceOrigin::balancer_request ? "done" : what.c_str());
    else ImGui::TextColored(to_vec4(colour::danger), "%s", t.origin == monitor::TraceOrigin::balancer_request ? t.outcome + 3 : (what + " (dropped)").c_str());
    ImGui::TableSetColumnIndex(3);
    ImGui::TextDisabled("%s", format_duration(t.start_us).c_str());
  }
  ImGui::EndTable();
}

void TracePanel::draw_waterfall(const View& view, UiCommands& out) {
  if (!selected_ || selected_->spans.empty()) {
    ImGui::TextDisabled("Click a request on the left to see its spans.");
    return;
  }
  const monitor::RequestTrace& t = *selected_;
  const float s = view.scale;
  ImGui::Text("%s  %s", t.spans.front().name.c_str(), duration_text(t.duration_us()).c_str());
  ImGui::SameLine();
  if (t.ok) ImGui::TextColored(to_vec4(colour::ok), "%s", t.origin == monitor::TraceOrigin::balancer_request ? "done" : "delivered");
  else ImGui::TextColored(to_vec4(colour::danger), "%s", t.outcome);
  if (t.truncated) {
    ImGui::SameLine();
    ImGui::TextColored(to_vec4(colour::warning), "(truncated)");
  }
  ImGui::TextDisabled("traceparent: %s", t.traceparent().c_str());
  if (ImGui::Button("Filter the event log")) log_filter_request_ = t;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show only this trace's records in the event log");
  ImGui::SameLine();
  if (ImGui::Button("Copy trace id")) ImGui::SetClipboardText(monitor::to_hex(t.trace_id).c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("%zu spans; click a span to go to that moment", t.spans.size());

  const SimTimeUs t0 = t.start_us;
  const SimTimeUs range_us = std::max<SimTimeUs>(1, t.end_us - t.start_us);
  const float row_h = ImGui::GetTextLineHeight() + 6 * s;
  const float avail_w = ImGui::GetContentRegionAvail().x;
  const float name_w = std::min(avail_w * 0.40f, 330.0f * s);
  const float dur_w = ImGui::CalcTextSize("000.00 ms").x + 8 * s;
  const float bar_w = std::max(40.0f * s, avail_w - name_w - dur_w - 12 * s);

  // The time axis (offsets from the request's start).
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 axis = ImGui::GetCursorScreenPos();
  const float bar_x = axis.x + name_w;
  auto x_of = [&](SimTimeUs us) { return bar_x + static_cast<float>(static_cast<double>(us - t0) / static_cast<double>(range_us)) * bar_w; };
  const SimTimeUs step = tick_step_us(range_us, std::max(2, static_cast<int>(bar_w / (70 * s))));
  for (SimTimeUs off = 0; off <= range_us; off += step) {
    const float x = x_of(t0 + off);
    dl->AddLine(ImVec2(x, axis.y + row_h - 3 * s), ImVec2(x, axis.y + row_h), colour::text_faint);
    const std::string label = off == 0 ? std::string("0") : "+" + format_duration(off);
    dl->AddText(ImVec2(x + 2 * s, axis.y), colour::text_dim, label.c_str());
  }
  ImGui::Dummy(ImVec2(avail_w, row_h));

  ImGui::BeginChild("##spans", ImVec2(0, 0), false);
  dl = ImGui::GetWindowDrawList();
  const ImVec2 top = ImGui::GetCursorScreenPos();
  const float rows_h = row_h * static_cast<float>(selected_order_.size());
  // Grid lines and the present.
  for (SimTimeUs off = 0; off <= range_us; off += step) {
    const float x = x_of(t0 + off);
    dl->AddLine(ImVec2(x, top.y), ImVec2(x, top.y + rows_h), colour::grid);
  }
  const SimTimeUs now = view.world.now_us();
  for (std::size_t row = 0; row < selected_order_.size(); ++row) {
    const std::size_t i = selected_order_[row];
    const monitor::Span& span = t.spans[i];
    const float y = top.y + row_h * static_cast<float>(row);
    ImGui::SetCursorScreenPos(ImVec2(top.x, y));
    ImGui::PushID(static_cast<int>(i));
    const bool clicked = ImGui::InvisibleButton("##span", ImVec2(name_w + bar_w + dur_w, row_h));
    const bool hovered = ImGui::IsItemHovered();
    ImGui::PopID();
    if (hovered) dl->AddRectFilled(ImVec2(top.x, y), ImVec2(top.x + name_w + bar_w + dur_w, y + row_h), IM_COL32(255, 255, 255, 14));
    const float indent = 12.0f * s * static_cast<float>(t.span_depth[i]);
    const bool failed = span_failed(span);
    dl->PushClipRect(ImVec2(top.x, y), ImVec2(bar_x - 4 * s, y + row_h), true);
    dl->AddText(ImVec2(top.x + 4 * s + indent, y + 3 * s), failed ? colour::danger : colour::text, span.name.c_str());
    dl->PopClipRect();
    const float x0 = x_of(span.start_us);
    const float x1 = std::max(x0 + 2 * s, x_of(span.start_us + span.duration_us));
    const ImU32 col = span_colour(t, span, i);
    dl->AddRectFilled(ImVec2(x0, y + 3 * s), ImVec2(x1, y + row_h - 3 * s), failed ? with_alpha(colour::danger, 220) : with_alpha(col, 210), 2 * s);
    const std::string dur = duration_text(span.duration_us);
    dl->AddText(ImVec2(x1 + 4 * s, y + 3 * s), colour::text_dim, dur.c_str());
    if (hovered) {
      ImGui::BeginTooltip();
      ImGui::TextUnformatted(span.name.c_str());
      ImGui::TextDisabled("on %s, from %s for %s", view.name_of(static_cast<NodeId>(span.pid)), format_duration(span.start_us).c_str(), dur.c_str());
      ImGui::TextDisabled("span %s, parent %s", monitor::span_id_hex(span.span_id).c_str(),
                          span.parent_span_id == 0 ? "none (the client's root)" : monitor::span_id_hex(span.parent_span_id).c_str());
      for (const auto& [key, value] : span.args) ImGui::Text("%s: %s", key.c_str(), value.c_str());
      ImGui::TextDisabled("click: move the timeline to where this span begins");
      ImGui::EndTooltip();
    }
    if (clicked) {
      out.act(SetPlaying{false});
      if (t.span_event[i] != 0) out.act(SeekEvent{t.span_event[i]});
      else out.act(SeekTime{span.start_us});
    }
  }
  if (now >= t.start_us && now <= t.end_us) {
    const float x = x_of(now);
    dl->AddLine(ImVec2(x, top.y), ImVec2(x, top.y + rows_h), colour::now_cursor, 1.5f * s);
  }
  ImGui::SetCursorScreenPos(ImVec2(top.x, top.y + rows_h));
  ImGui::Dummy(ImVec2(1, 1));
  ImGui::EndChild();
}

void TracePanel::draw(const View& view, UiCommands& out) {
  sync(view);
  const float s = view.scale;
  const float list_w = std::max(250.0f * s, ImGui::GetContentRegionAvail().x * 0.32f);
  ImGui::BeginChild("##trace_list", ImVec2(list_w, 0), false);
  draw_list(view);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("##trace_waterfall", ImVec2(0, 0), false);
  draw_waterfall(view, out);
  ImGui::EndChild();
}

}  // namespace dsplay::ui
