// The event log (see event_log_panel.hpp).
#include "ui/event_log_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "ui/theme.hpp"
#include "ui/world_helpers.hpp"

namespace dsplay::ui {

namespace {
bool contains_ci(const std::string& haystack, const std::string& needle_lower) {
  if (needle_lower.empty()) return true;
  auto it = std::search(haystack.begin(), haystack.end(), needle_lower.begin(), needle_lower.end(),
                        [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return it != haystack.end();
}

ImU32 kind_colour(const TraceRecord& r) {
  switch (r.kind) {
    case TraceKind::send: return with_alpha(payload_label_colour(r.label), 200);
    case TraceKind::deliver: return payload_label_colour(r.label);
    case TraceKind::drop: return IM_COL32(250, 130, 110, 255);
    case TraceKind::timer: return colour::text_faint;
    case TraceKind::crash: return colour::crashed_mark;
    case TraceKind::start:
    case TraceKind::restart: return colour::ok;
    case TraceKind::pause:
    case TraceKind::resume: return IM_COL32(190, 194, 204, 255);
    case TraceKind::node_added:
    case TraceKind::node_removed: return IM_COL32(160, 220, 160, 255);
    case TraceKind::command: return IM_COL32(150, 200, 255, 255);
    case TraceKind::rejected: return colour::warning;
    case TraceKind::note: return IM_COL32(240, 230, 140, 255);
    case TraceKind::violation: return colour::danger;
  }
  return colour::text;
}

// "trace:<hex>", a traceparent or a bare 32-hex trace id: the (lowercase) trace id digits.
bool trace_filter_hex(const std::string& needle_lower, std::string& hex) {
  auto is_hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  if (needle_lower.rfind("trace:", 0) == 0) {
    hex.clear();
    for (char c : needle_lower.substr(6)) {
      if (c == ' ') continue;
      if (!is_hex(c) || hex.size() == 32) return true;  // stops at the first non-hex digit
      hex.push_back(c);
    }
    return true;
  }
  if (const monitor::TraceparentParse p = monitor::parse_traceparent(needle_lower); p.ok()) {
    hex = monitor::to_hex(p.context->trace_id);
    return true;
  }
  if (needle_lower.size() == 32 && std::all_of(needle_lower.begin(), needle_lower.end(), is_hex)) {
    hex = needle_lower;
    return true;
  }
  return false;
}

}  // namespace

void EventLogPanel::filter_by_trace(const monitor::RequestTrace& trace) {
  trace_filter_ = trace;
  std::snprintf(filter_, sizeof filter_, "trace:%s", monitor::to_hex(trace.trace_id).c_str());
  follow_ = false;
  skip_follow_ = true;
}

void EventLogPanel::update_trace_rows(const View& view, const std::string& hex) {
  const TraceLog& trace = view.session.trace();
  const std::string key = "trace:" + hex;
  const bool same_trace = generation_ == view.ui.trace_generation && scanned_ <= trace.size();
  auto matches = [&](const monitor::RequestTrace& t) { return hex.size() >= 4 && monitor::to_hex(t.trace_id).rfind(hex, 0) == 0; };
  if (!same_trace || key != cached_filter_ || show_timers_ != cached_show_timers_) {
    cached_filter_ = key;
    cached_show_timers_ = show_timers_;
    generation_ = view.ui.trace_generation;
    scanned_ = 0;
    rows_.clear();
    if (trace_filter_ && !matches(*trace_filter_)) trace_filter_.reset();
    trace_search_.reset();
    trace_search_at_ = 0;
    trace_search_done_ = false;
    if (trace_filter_) scanned_ = std::min(trace_filter_->first_record, trace.size());
  }
  constexpr std::size_t kScanPerFrame = 25000;
  if (!trace_filter_) {
    // Typed by hand: derive traces from the log until one has this id.
    if (hex.size() < 4 || trace_search_done_) return;
    if (!trace_search_) trace_search_.emplace(monitor::request_tracing_setup(view.world));
    const std::size_t stop = std::min(trace.size(), trace_search_at_ + 4 * kScanPerFrame);
    trace_search_->feed(trace, trace_search_at_, stop);
    trace_search_at_ = stop;
    std::vector<monitor::RequestTrace> found = trace_search_->take_completed();
    if (trace_search_at_ == trace.size()) {
      for (monitor::RequestTrace& t : trace_search_->finish()) found.push_back(std::move(t));
      trace_search_done_ = true;
    }
    for (monitor::RequestTrace& t : found) {
      if (!matches(t)) continue;
      trace_filter_ = std::move(t);
      trace_search_.reset();
      scanned_ = std::min(trace_filter_->first_record, trace.size());
      break;
    }
    if (!trace_filter_) return;
  }
  const std::size_t stop = std::min(trace.size(), scanned_ + kScanPerFrame);
  for (; scanned_ < stop; ++scanned_) {
    if (trace_filter_->owns_record(trace[scanned_])) rows_.push_back(static_cast<std::uint32_t>(scanned_));
  }
  if (scanned_ > trace_filter_->last_record) scanned_ = trace.size();  // nothing of it comes later
}

void EventLogPanel::update_rows(const View& view) {
  std::string needle = filter_;
  for (char& c : needle) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  filtering_ = !needle.empty() || !show_timers_;
  std::string trace_hex;
  trace_mode_ = filtering_ && trace_filter_hex(needle, trace_hex);
  if (!filtering_) return;
  if (trace_mode_) return update_trace_rows(view, trace_hex);
  const TraceLog& trace = view.session.trace();
  const bool same_trace = generation_ == view.ui.trace_generation && scanned_ <= trace.size();
  if (same_trace && show_timers_ == cached_show_timers_ && needle != cached_filter_ &&
      needle.find(cached_filter_) != std::string::npos && scanned_ == trace.size()) {
    // The user typed more: every match of the longer filter matched the shorter one, so only
    // the rows kept so far need checking again.
    std::erase_if(rows_, [&](std::uint32_t i) { return !contains_ci(format_trace_record(trace[i], view.node_names), needle); });
    cached_filter_ = needle;
  } else if (needle != cached_filter_ || show_timers_ != cached_show_timers_ || !same_trace) {
    cached_filter_ = needle;
    cached_show_timers_ = show_timers_;
    generation_ = view.ui.trace_generation;
    scanned_ = 0;
    rows_.clear();
  }
  // At most kScanPerFrame records per frame, so typing into a 100k-record log stays responsive.
  constexpr std::size_t kScanPerFrame = 25000;
  const std::size_t stop = std::min(trace.size(), scanned_ + kScanPerFrame);
  for (; scanned_ < stop; ++scanned_) {
    const TraceRecord& r = trace[scanned_];
    if (!show_timers_ && r.kind == TraceKind::timer) continue;
    if (!needle.empty() && !contains_ci(format_trace_record(r, view.node_names), needle)) continue;
    rows_.push_back(static_cast<std::uint32_t>(scanned_));
  }
}

void EventLogPanel::draw(const View& view, UiCommands& out) {
  const Session& session = view.session;
  const TraceLog& trace = session.trace();
  const float s = view.scale;

  // --- toolbar ---
  {
    const float toggles_w = ImGui::CalcTextSize("timers").x + ImGui::CalcTextSize("follow").x + ImGui::GetFrameHeight() * 2 +
                            ImGui::GetStyle().ItemInnerSpacing.x * 2 + ImGui::GetStyle().ItemSpacing.x * 2;
    ImGui::SetNextItemWidth(std::max(60.0f * s, ImGui::GetContentRegionAvail().x - toggles_w));
    ImGui::InputTextWithHint("##filter", "filter: text, node name or trace:<id>", filter_, sizeof filter_);
    ImGui::SameLine();
    ImGui::Checkbox("timers", &show_timers_);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show timer records (they are many)");
    ImGui::SameLine();
    ImGui::Checkbox("follow", &follow_);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Keep the present in view");
  }
  update_rows(view);

  const std::size_t present_end = session.trace_end();
  const std::size_t total_rows = filtering_ ? rows_.size() : trace.size();
  const std::size_t present_rows =
      filtering_ ? static_cast<std::size_t>(std::lower_bound(rows_.begin(), rows_.end(), static_cast<std::uint32_t>(present_end)) - rows_.begin())
                 : present_end;
  auto record_index = [&](std::size_t row) { return filtering_ ? static_cast<std::size_t>(rows_[row]) : row; };

  ImGui::BeginChild("##log_rows", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  const ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsWindowHovered() && io.MouseWheel > 0) follow_ = false;
  if (follow_ && present_rows != last_present_rows_) {
    if (!skip_follow_) {
      const float visible_h = ImGui::GetWindowHeight();
      ImGui::SetScrollY(std::max(0.0f, static_cast<float>(present_rows) * row_h - visible_h + row_h * 2.5f));
    }
  }
  skip_follow_ = false;
  last_present_rows_ = present_rows;

  if (trace_mode_ && !trace_filter_) {
    if (trace_search_done_) ImGui::TextDisabled("no request trace has this id (yet)");
    else if (std::string(filter_).size() < 10) ImGui::TextDisabled("type at least 4 hex digits of a trace id");
    else ImGui::TextDisabled("looking for the trace... %.0f%%", trace.empty() ? 100.0 : 100.0 * static_cast<double>(trace_search_at_) / static_cast<double>(trace.size()));
  } else if (trace_mode_ && scanned_ >= trace.size()) {
    ImGui::TextDisabled("trace %s: %zu records (%s)", monitor::to_hex(trace_filter_->trace_id).substr(0, 8).c_str(), rows_.size(),
                        trace_filter_->spans.empty() ? "" : trace_filter_->spans.front().name.c_str());
  } else if (filtering_ && scanned_ < trace.size()) {
    ImGui::TextDisabled("filtering... %.0f%%", 100.0 * static_cast<double>(scanned_) / static_cast<double>(trace.size()));
  } else if (total_rows == 0) {
    ImGui::TextDisabled(filtering_ ? "no record matches the filter" : "no events yet");
  }
  const std::uint64_t current = session.current_event();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(total_rows), row_h);
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const std::size_t index = record_index(static_cast<std::size_t>(row));
      const TraceRecord& r = trace[index];
      const bool future = index >= present_end;
      std::string text = format_trace_record(r, view.node_names);
      text.erase(0, text.find_first_not_of(' '));  // the stable format right-aligns the seconds
      ImU32 col = kind_colour(r);
      if (future) col = with_alpha(lerp_colour(col, colour::text_faint, 0.5f), 110);
      ImGui::PushStyleColor(ImGuiCol_Text, col);
      ImGui::PushID(row);
      if (r.kind == TraceKind::violation) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + row_h), with_alpha(colour::danger_bg, 160));
      }
      if (ImGui::Selectable(text.c_str(), r.event == current && !future)) {
        out.act(SetPlaying{false});
        out.act(SeekEvent{r.event});
        skip_follow_ = true;
      }
      ImGui::PopID();
      ImGui::PopStyleColor();
      if (ImGui::IsItemHovered()) ImGui::SetTooltip(future ? "in the known future: click to replay up to here" : "click to go back to this event");
      if (static_cast<std::size_t>(row) + 1 == present_rows && present_rows < total_rows) {
        const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddLine(ImVec2(a.x, b.y + 1), ImVec2(a.x + ImGui::GetWindowWidth(), b.y + 1), colour::now_cursor, 1.5f);
      }
    }
  }
  clipper.End();
  // Scrolling back down to the end turns following on again.
  if (!follow_ && ImGui::IsWindowHovered() && io.MouseWheel < 0 && ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - row_h) follow_ = true;
  ImGui::EndChild();
}

}  // namespace dsplay::ui
