// The monitoring panel (see monitor_panel.hpp): quantile estimators against the truth, and the
// anomaly detectors over per-server latency with their flags on a chart.
#include "ui/monitor_panel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

#include <imgui.h>

#include "ui/theme.hpp"

namespace dsplay::ui {

namespace {

constexpr const char* kDetectorNames[MonitorPanel::kDetectors] = {"EWMA", "MAD", "Holt-Winters", "RLS"};
constexpr ImU32 kDetectorColours[MonitorPanel::kDetectors] = {IM_COL32(246, 190, 70, 255), IM_COL32(238, 78, 78, 255),
                                                              IM_COL32(190, 120, 255, 255), IM_COL32(84, 204, 124, 255)};
constexpr ImU32 kServerColours[] = {IM_COL32(92, 170, 255, 255),  IM_COL32(120, 200, 200, 255),
                                    IM_COL32(200, 200, 120, 255), IM_COL32(220, 150, 200, 255),
                                    IM_COL32(170, 170, 255, 255), IM_COL32(150, 220, 150, 255)};

// Knobs for a simulated latency series (mean per bin): lighter-tailed than NAB's real metrics,
// so 6-8 sigma instead of NAB's 14-20 (docs/MONITORING.md), and short warm-ups.
std::array<monitor::AnyDetector, MonitorPanel::kDetectors> make_detectors() {
  monitor::EwmaConfig ewma;
  ewma.alpha = 0.05;
  ewma.threshold_z = 6;
  ewma.warmup_points = 12;
  monitor::MadConfig mad;
  mad.window_points = 40;
  mad.threshold = 8;
  mad.warmup_points = 12;
  monitor::HoltWintersConfig hw;
  hw.season_length = 8;  // 2 s: no real season here; a short one keeps the warm-up short
  hw.alpha = 0.2;
  hw.gamma = 0.05;
  hw.threshold = 6;
  hw.residual_alpha = 0.05;
  hw.warmup_points = 8;
  monitor::RlsConfig rls;
  rls.threshold = 6;
  rls.residual_alpha = 0.05;
  rls.warmup_points = 12;
  return {monitor::EwmaDetector(ewma), monitor::MadDetector(mad), monitor::HoltWintersDetector(hw),
          monitor::RlsDetector(rls)};
}

std::string ms_text(double us) {
  char text[32];
  if (us != us) return "-";
  if (us >= 1e6) std::snprintf(text, sizeof text, "%.3f s", us / 1e6);
  else std::snprintf(text, sizeof text, "%.2f ms", us / 1e3);
  return text;
}

std::string error_text(double rel) {
  char text[32];
  if (rel != rel) return "-";
  std::snprintf(text, sizeof text, "%+.2f%%", rel * 100);
  return text;
}

}  // namespace

void MonitorPanel::reset(const Session* session) {
  session_ = session;
  seen_ = 0;
  quantiles_ = monitor::QuantileCompare();
  servers_.clear();
  first_ = {};
}

MonitorPanel::ServerSeries& MonitorPanel::series_for(const View& view, NodeId node) {
  for (ServerSeries& s : servers_)
    if (s.node == node) return s;
  ServerSeries s;
  s.node = node;
  s.name = node < view.node_names.size() ? view.node_names[node] : "n" + std::to_string(node);
  s.detectors = make_detectors();
  servers_.push_back(std::move(s));
  return servers_.back();
}

void MonitorPanel::close_bin(ServerSeries& s) {
  if (s.bin_count == 0) return;
  const double mean_us = s.bin_sum_us / static_cast<double>(s.bin_count);
  Point p;
  p.t_s = static_cast<float>(static_cast<double>((s.bin + 1) * kBinUs) / 1e6);
  p.latency_ms = static_cast<float>(mean_us / 1e3);
  for (std::size_t d = 0; d < kDetectors; ++d) {
    if (monitor::detector_update(s.detectors[d], mean_us).is_anomaly) {
      p.flags = static_cast<std::uint8_t>(p.flags | (1u << d));
      if (first_[d].t_s < 0) first_[d] = {p.t_s, s.name};
    }
  }
  s.points.push_back(p);
  s.bin_sum_us = 0;
  s.bin_count = 0;
}

void MonitorPanel::sync(const View& view) {
  const std::size_t end = view.session.trace_end();
  if (session_ != &view.session || end < seen_) reset(&view.session);
  const TraceLog& trace = view.session.trace();
  for (std::size_t i = seen_; i < end && i < trace.size(); ++i) {
    const TraceRecord& r = trace[i];
    if (r.kind != TraceKind::note || std::string_view(r.label) != "lb done") continue;
    quantiles_.add(r.a);
    ServerSeries& s = series_for(view, r.node);
    const std::int64_t bin = r.time_us / kBinUs;
    if (bin != s.bin) {
      close_bin(s);
      s.bin = bin;
    }
    s.bin_sum_us += static_cast<double>(r.a);
    ++s.bin_count;
  }
  seen_ = std::max(seen_, std::min(end, trace.size()));
}

void MonitorPanel::draw(const View& view, UiCommands& /*out*/) {
  sync(view);
  const float scale = view.scale;
  const float left_w = 600.0f * scale;

  ImGui::BeginChild("monitor_quantiles", ImVec2(left_w, 0), false);
  ImGui::Text("Request latency quantiles: %zu completed requests", quantiles_.count());
  const auto rows = quantiles_.rows({0.5, 0.9, 0.99, 0.999});
  if (ImGui::BeginTable("quantiles", 7, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    for (const char* h : {"q", "true", "Prometheus", "HDR", "DDSketch", "", ""}) ImGui::TableSetupColumn(h);
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    const char* headers[] = {"q", "true", "Prometheus", "err", "HDR", "err", "DDSketch, err"};
    for (int c = 0; c < 7; ++c) {
      ImGui::TableSetColumnIndex(c);
      ImGui::TextUnformatted(headers[c]);
    }
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
  ImGui::TextUnformatted("First flag (per-server mean latency, 250 ms bins):");
  for (std::size_t d = 0; d < kDetectors; ++d) {
    if (d % 2 == 1) ImGui::SameLine(left_w * 0.5f);
    ImGui::PushStyleColor(ImGuiCol_Text, kDetectorColours[d]);
    if (first_[d].t_s < 0) ImGui::Text("%s: none yet", kDetectorNames[d]);
    else ImGui::Text("%s: %s at %.2f s", kDetectorNames[d], first_[d].server.c_str(), static_cast<double>(first_[d].t_s));
    ImGui::PopStyleColor();
  }
  ImGui::EndChild();

  ImGui::SameLine();
  // Chart: each server's latency series, flagged points ringed in the detector's colour.
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 p1(p0.x + std::max(avail.x, 50.0f), p0.y + std::max(avail.y, 50.0f));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, p1, colour::canvas_bg);
  dl->AddRect(p0, p1, colour::canvas_border);
  float t_max = 1, y_max = 1;
  for (const ServerSeries& s : servers_)
    for (const Point& p : s.points) {
      t_max = std::max(t_max, p.t_s);
      y_max = std::max(y_max, p.latency_ms);
    }
  y_max *= 1.1f;
  const float pad = 28.0f * scale;
  const ImVec2 c0(p0.x + pad * 1.6f, p0.y + pad * 0.8f), c1(p1.x - pad * 0.4f, p1.y - pad * 0.7f);
  const auto at = [&](const Point& p) {
    return ImVec2(c0.x + (c1.x - c0.x) * p.t_s / t_max, c1.y - (c1.y - c0.y) * p.latency_ms / y_max);
  };
  for (int k = 0; k <= 4; ++k) {
    const float y = c1.y - (c1.y - c0.y) * static_cast<float>(k) / 4;
    dl->AddLine(ImVec2(c0.x, y), ImVec2(c1.x, y), colour::grid);
    char label[24];
    std::snprintf(label, sizeof label, "%.0f ms", static_cast<double>(y_max) * k / 4);
    dl->AddText(ImVec2(p0.x + 4, y - 7 * scale), colour::text_dim, label);
  }
  char t_label[32];
  std::snprintf(t_label, sizeof t_label, "%.1f s", static_cast<double>(t_max));
  dl->AddText(ImVec2(c1.x - 40 * scale, c1.y + 4 * scale), colour::text_dim, t_label);
  dl->AddText(ImVec2(c0.x + 4, p0.y + 4), colour::text, "Mean latency per server (250 ms bins); rings = detector flags");
  float legend_x = c0.x + 4;
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    const ServerSeries& s = servers_[i];
    const ImU32 col = kServerColours[i % std::size(kServerColours)];
    for (std::size_t k = 1; k < s.points.size(); ++k) dl->AddLine(at(s.points[k - 1]), at(s.points[k]), col, 1.5f * scale);
    dl->AddText(ImVec2(legend_x, c1.y + 4 * scale), col, s.name.c_str());
    legend_x += (ImGui::CalcTextSize(s.name.c_str()).x + 10 * scale);
  }
  for (const ServerSeries& s : servers_)
    for (const Point& p : s.points)
      for (std::size_t d = 0; d < kDetectors; ++d)
        if (p.flags & (1u << d)) dl->AddCircle(at(p), (3.0f + 2.5f * static_cast<float>(d)) * scale, kDetectorColours[d], 0, 1.5f * scale);
  ImGui::Dummy(ImVec2(p1.x - p0.x, p1.y - p0.y));
}

}  // namespace dsplay::ui
