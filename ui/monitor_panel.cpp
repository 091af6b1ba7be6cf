// The monitoring panel (see monitor_panel.hpp): quantile estimators against the truth, and the
// simulation's anomaly detectors over per-server latency windows with their flags on a chart.
#include "ui/monitor_panel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

#include <imgui.h>

#include "core/monitor/server_watch.hpp"
#include "ui/theme.hpp"

namespace dsplay::ui {

namespace {

constexpr ImU32 kDetectorColours[monitor::kWatchDetectors] = {
    IM_COL32(170, 170, 170, 255), IM_COL32(246, 190, 70, 255), IM_COL32(238, 78, 78, 255),
    IM_COL32(190, 120, 255, 255), IM_COL32(84, 204, 124, 255), IM_COL32(80, 200, 255, 255)};
constexpr ImU32 kServerColours[] = {IM_COL32(92, 170, 255, 255),  IM_COL32(120, 200, 200, 255),
                                    IM_COL32(200, 200, 120, 255), IM_COL32(220, 150, 200, 255),
                                    IM_COL32(170, 170, 255, 255), IM_COL32(150, 220, 150, 255)};

std::string label_of(std::size_t detector) { return std::string(monitor::watch_detector_label(detector)); }

std::string seconds_text(std::int64_t us) {
  if (us < 0) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.0f s", static_cast<double>(us) / 1e6);
  return text;
}

std::string ms_text(double us) {
  char text[32];
  if (us != us) return "-";
  if (us >= 1e6) std::snprintf(text, sizeof text, "%.3f s", us / 1e6);
  else std::snprintf(text, sizeof text, "%.1f ms", us / 1e3);
  return text;
}

std::string error_text(double rel) {
  char text[32];
  if (rel != rel) return "-";
  std::snprintf(text, sizeof text, "%+.1f%%", rel * 100);
  return text;
}

}  // namespace

void MonitorPanel::reset(const Session* session) {
  session_ = session;
  seen_ = 0;
  quantiles_ = monitor::QuantileCompare();
}

void MonitorPanel::sync(const View& view) {
  const std::size_t end = view.session.trace_end();
  if (session_ != &view.session || end < seen_) reset(&view.session);
  const TraceLog& trace = view.session.trace();
  for (std::size_t i = seen_; i < end && i < trace.size(); ++i) {
    const TraceRecord& r = trace[i];
    if (r.kind == TraceKind::note && std::string_view(r.label) == "lb done") quantiles_.add(r.a);
  }
  seen_ = std::max(seen_, std::min(end, trace.size()));
}

void MonitorPanel::draw_detector_table(const View& view, float width) {
  const balance::LoadBalancerSim* sim = view.world.lb();
  if (!sim) return;
  const monitor::ServerWatch& watch = sim->watch();
  const auto server_name = [&](std::uint32_t s) { return s < sim->servers().size() ? sim->servers()[s].name.c_str() : "?"; };
  ImGui::Text("Anomaly detectors on each server's mean latency per %s window", format_duration(sim->config().window_us).c_str());
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Threshold, EWMA, MAD, Holt-Winters and RLS compare a server with its own past;\n"
                      "Peers compares it with the other servers in the same window.\n"
                      "True: flags on a server that was slowed, paused or down (or draining just after).\n"
                      "False alarms: flags on healthy servers. Click a name to show or hide its rings.");
  if (ImGui::BeginTable("detectors", 5, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp,
                        ImVec2(width, 0))) {
    for (const char* h : {"detector", "first flag", "first true flag", "true", "false alarms"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    const int first = watch.first_detector();
    for (std::size_t d = 0; d < monitor::kWatchDetectors; ++d) {
      const monitor::WatchScore& score = watch.scores()[d];
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      const bool shown = (shown_detectors_ >> d) & 1u;
      ImGui::PushStyleColor(ImGuiCol_Text, shown ? kDetectorColours[d] : colour::text_dim);
      const std::string name = label_of(d) + (static_cast<int>(d) == first ? " (first)" : "");
      if (ImGui::Selectable(name.c_str(), false)) shown_detectors_ = static_cast<std::uint8_t>(shown_detectors_ ^ (1u << d));
      ImGui::PopStyleColor();
      ImGui::TableSetColumnIndex(1);
      if (score.first_flag_us < 0) ImGui::TextUnformatted("-");
      else ImGui::Text("%s, %s", seconds_text(score.first_flag_us).c_str(), server_name(score.first_flag_server));
      ImGui::TableSetColumnIndex(2);
      ImGui::TextUnformatted(seconds_text(score.first_true_flag_us).c_str());
      ImGui::TableSetColumnIndex(3);
      ImGui::Text("%u", score.true_flags);
      ImGui::TableSetColumnIndex(4);
      ImGui::Text("%u", score.false_alarms);
    }
    ImGui::EndTable();
  }
  if (watch.first_degraded_us() >= 0) ImGui::Text("First degraded window ends at %s", seconds_text(watch.first_degraded_us()).c_str());
  else ImGui::TextDisabled("No server has been degraded yet");
}

void MonitorPanel::draw(const View& view, UiCommands& /*out*/) {
  sync(view);
  const float scale = view.scale;
  // Wide: quantiles | detectors | chart. Narrow: quantiles over detectors (scrolling) | chart.
  const float avail_w = ImGui::GetContentRegionAvail().x;
  const bool wide = avail_w >= 1100.0f * scale;
  const float left_w = wide ? std::min(560.0f * scale, avail_w * 0.4f) : std::min(600.0f * scale, std::max(avail_w * 0.6f, 320.0f * scale));

  ImGui::BeginChild("monitor_quantiles", ImVec2(left_w, 0), false);
  ImGui::Text("Request latency quantiles: %zu completed requests", quantiles_.count());
  const auto rows = quantiles_.rows({0.5, 0.9, 0.95, 0.99, 0.999});
  if (ImGui::BeginTable("quantiles", 7, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("q", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("p99.9").x);
    for (const char* h : {"true", "Prometheus", "err", "HDR", "err", "DDSketch, err"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (const monitor::QuantileRow& row : rows) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::Text("p%g", row.q * 100);
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(ms_text(row.true_us).c_str());
      ImGui::TableSetColumnIndex(2);
      ImGui::TextUnformatted(ms_text(row.prom_us).c_str());
      ImGui::TableSetColumnIndex(3);
      ImGui::TextUnformatted(error_text(row.prom_rel_error).c_str());
      ImGui::TableSetColumnIndex(4);
      ImGui::TextUnformatted(ms_text(row.hdr_us).c_str());
      ImGui::TableSetColumnIndex(5);
      ImGui::TextUnformatted(error_text(row.hdr_rel_error).c_str());
      ImGui::TableSetColumnIndex(6);
      ImGui::Text("%s  %s", ms_text(row.dd_us).c_str(), error_text(row.dd_rel_error).c_str());
    }
    ImGui::EndTable();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Prometheus: default buckets, histogram_quantile; HDR 3 digits; DDSketch 1%%");
  if (!wide) draw_detector_table(view, left_w);
  ImGui::EndChild();
  if (wide) {
    ImGui::SameLine();
    const float detectors_w = std::min(520.0f * scale, (avail_w - left_w) * 0.55f);
    ImGui::BeginChild("monitor_detectors", ImVec2(detectors_w, 0), false);
    draw_detector_table(view, detectors_w);
    ImGui::EndChild();
  }

  ImGui::SameLine();
  draw_chart(view);
}

// Each server's mean latency per closed window; a window a detector flagged is ringed in the
// detector's colour (one ring size per detector, so several flags on one point stay visible).
void MonitorPanel::draw_chart(const View& view) {
  const float scale = view.scale;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 p1(p0.x + std::max(avail.x, 50.0f), p0.y + std::max(avail.y, 50.0f));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, p1, colour::canvas_bg);
  dl->AddRect(p0, p1, colour::canvas_border);
  ImGui::Dummy(ImVec2(p1.x - p0.x, p1.y - p0.y));
  const balance::LoadBalancerSim* sim = view.world.lb();
  if (!sim) return;
  const std::size_t windows = sim->window_count();
  const std::size_t servers = sim->servers().size();
  const auto mean_ms = [](const balance::LbServerWindow& w) {
    return w.completed ? static_cast<float>(static_cast<double>(w.latency_sum_us) / static_cast<double>(w.completed) / 1e3) : -1.0f;
  };
  float t_max = 1, y_max = 1;
  for (std::size_t i = 0; i < windows; ++i) {
    const balance::LbWindow& w = sim->window(i);
    t_max = std::max(t_max, static_cast<float>(static_cast<double>(w.end_us) / 1e6));
    for (const balance::LbServerWindow& sw : w.servers) y_max = std::max(y_max, mean_ms(sw));
  }
  y_max *= 1.1f;
  const float pad = 28.0f * scale;
  const ImVec2 c0(p0.x + pad * 1.6f, p0.y + pad * 0.8f), c1(p1.x - pad * 0.4f, p1.y - pad * 0.7f);
  const auto at = [&](float t_s, float y_ms) {
    return ImVec2(c0.x + (c1.x - c0.x) * t_s / t_max, c1.y - (c1.y - c0.y) * y_ms / y_max);
  };
  for (int k = 0; k <= 4; ++k) {
    const float y = c1.y - (c1.y - c0.y) * static_cast<float>(k) / 4;
    dl->AddLine(ImVec2(c0.x, y), ImVec2(c1.x, y), colour::grid);
    char label[24];
    std::snprintf(label, sizeof label, "%.0f ms", static_cast<double>(y_max) * k / 4);
    dl->AddText(ImVec2(p0.x + 4, y - 7 * scale), colour::text_dim, label);
  }
  char t_label[32];
  std::snprintf(t_label, sizeof t_label, "%.0f s", static_cast<double>(t_max));
  dl->AddText(ImVec2(c1.x - 40 * scale, c1.y + 4 * scale), colour::text_dim, t_label);
  dl->AddText(ImVec2(c0.x + 4, p0.y + 4), colour::text, "Mean latency per server and window; rings = detector flags");
  // Legend: servers, then detectors.
  float legend_x = c0.x + 4;
  for (std::size_t s = 0; s < servers; ++s) {
    const char* name = sim->servers()[s].name.c_str();
    dl->AddText(ImVec2(legend_x, c1.y + 4 * scale), kServerColours[s % std::size(kServerColours)], name);
    legend_x += ImGui::CalcTextSize(name).x + 10 * scale;
  }
  legend_x += 10 * scale;
  for (std::size_t d = 0; d < monitor::kWatchDetectors; ++d) {
    if (!((shown_detectors_ >> d) & 1u)) continue;
    const std::string name = label_of(d);
    dl->AddCircle(ImVec2(legend_x + 4 * scale, c1.y + 11 * scale), 4 * scale, kDetectorColours[d], 0, 1.5f * scale);
    dl->AddText(ImVec2(legend_x + 10 * scale, c1.y + 4 * scale), kDetectorColours[d], name.c_str());
    legend_x += ImGui::CalcTextSize(name.c_str()).x + 20 * scale;
  }
  dl->PushClipRect(p0, p1, true);
  for (std::size_t s = 0; s < servers; ++s) {
    const ImU32 col = kServerColours[s % std::size(kServerColours)];
    bool have_prev = false;
    ImVec2 prev;
    for (std::size_t i = 0; i < windows; ++i) {
      const balance::LbWindow& w = sim->window(i);
      if (s >= w.servers.size()) continue;
      const float y = mean_ms(w.servers[s]);
      if (y < 0) {
        have_prev = false;
        continue;
      }
      const ImVec2 p = at(static_cast<float>(static_cast<double>(w.end_us) / 1e6), y);
      if (have_prev) dl->AddLine(prev, p, col, 1.5f * scale);
      const std::uint8_t flags = static_cast<std::uint8_t>(w.servers[s].detector_flags & shown_detectors_);
      for (std::size_t d = 0; d < monitor::kWatchDetectors; ++d)
        if (flags & (1u << d)) dl->AddCircle(p, (2.5f + 1.5f * static_cast<float>(d)) * scale, kDetectorColours[d], 0, 1.2f * scale);
      prev = p;
      have_prev = true;
    }
  }
  dl->PopClipRect();
}

}  // namespace dsplay::ui
