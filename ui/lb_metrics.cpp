// Load-balancing metrics panels and plots (see lb_metrics.hpp). Plots are drawn straight into the
// window's draw list; times are the windows' end times in simulated seconds.
#include "ui/lb_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "ui/balancer_panel.hpp"
#include "ui/theme.hpp"
#include "ui/world_helpers.hpp"

namespace dsplay::ui {

namespace {

using balance::LoadBalancerSim;

constexpr std::size_t kPlotWindows = 120;   // two minutes of 1 s windows
constexpr std::size_t kShareWindows = 10;  // "share of requests" over the last 10 windows

std::size_t first_window(const LoadBalancerSim& sim, std::size_t max) {
  const std::size_t n = sim.window_count();
  return n > max ? n - max : 0;
}

std::string tick_text(double v, bool unit_ms) {
  char buf[32];
  if (unit_ms) {
    if (v >= 1000) std::snprintf(buf, sizeof buf, "%g s", v / 1000);
    else if (v >= 1) std::snprintf(buf, sizeof buf, "%g ms", v);
    else std::snprintf(buf, sizeof buf, "%g us", v * 1000);
  } else {
    std::snprintf(buf, sizeof buf, "%g", v);
  }
  return buf;
}

LbSeries percentile_series(const LoadBalancerSim& sim, int which, ImU32 col, float thickness, bool dashed) {
  LbSeries out;
  out.col = col;
  out.thickness = thickness;
  out.dashed = dashed;
  for (std::size_t i = first_window(sim, kPlotWindows); i < sim.window_count(); ++i) {
    const balance::LbWindow& w = sim.window(i);
    if (w.completed == 0) continue;
    const SimTimeUs v = which == 50 ? w.p50_us : which == 90 ? w.p90_us : w.p99_us;
    out.points.emplace_back(static_cast<float>(static_cast<double>(w.end_us) / 1e6), static_cast<float>(static_cast<double>(v) / 1e3));
  }
  return out;
}

// Sum of all servers' queues (the longest each window saw), or one server's.
LbSeries queue_series(const LoadBalancerSim& sim, std::uint32_t server, ImU32 col, float thickness, bool dashed) {
  LbSeries out;
  out.col = col;
  out.thickness = thickness;
  out.dashed = dashed;
  for (std::size_t i = first_window(sim, kPlotWindows); i < sim.window_count(); ++i) {
    const balance::LbWindow& w = sim.window(i);
    double v = 0;
    for (std::size_t s = 0; s < w.servers.size(); ++s)
      if (server == LoadBalancerSim::kNone || s == server) v += w.servers[s].queue_max;
    out.points.emplace_back(static_cast<float>(static_cast<double>(w.end_us) / 1e6), static_cast<float>(v));
  }
  return out;
}

void frame(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const char* title, float s) {
  dl->AddRectFilled(p0, p1, IM_COL32(21, 25, 34, 255), 4 * s);
  dl->AddRect(p0, p1, colour::canvas_border, 4 * s);
  if (title != nullptr) dl->AddText(ImVec2(p0.x + 6 * s, p0.y + 3 * s), colour::text_dim, title);
}

void polyline(ImDrawList* dl, const LbSeries& series, auto&& to_screen, float s) {
  for (std::size_t i = 1; i < series.points.size(); ++i) {
    const ImVec2 a = to_screen(series.points[i - 1]), b = to_screen(series.points[i]);
    if (series.dashed) add_dashed_line(dl, a, b, series.col, series.thickness * s, 5 * s, 3 * s);
    else dl->AddLine(a, b, series.col, series.thickness * s);
  }
  if (series.points.size() == 1) dl->AddCircleFilled(to_screen(series.points[0]), 2.5f * s, series.col);
}

// The latency histogram (quarter-octave bins, log x): a filled, b (optional) as an outline.
void histogram(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const char* title, const LoadBalancerSim& a, ImU32 ca,
               const LoadBalancerSim* b, ImU32 cb, float s) {
  frame(dl, p0, p1, title, s);
  const float line_h = ImGui::GetTextLineHeight();
  const ImVec2 q0(p0.x + 8 * s, p0.y + line_h + 8 * s), q1(p1.x - 8 * s, p1.y - line_h - 4 * s);
  const auto& ba = a.latency_bins();
  int lo = balance::LbLatencyBins::kBins, hi = -1;
  auto span = [&](const balance::LbLatencyBins& bins) {
    for (int i = 0; i < balance::LbLatencyBins::kBins; ++i)
      if (bins.counts[static_cast<std::size_t>(i)] > 0) lo = std::min(lo, i), hi = std::max(hi, i);
  };
  span(ba);
  if (b != nullptr) span(b->latency_bins());
  if (hi < 0 || q1.x - q0.x < 20 || q1.y - q0.y < 10) {
    dl->AddText(ImVec2(q0.x, q0.y), colour::text_faint, "no finished requests yet");
    return;
  }
  lo = std::max(0, lo - 1);
  hi = std::min(balance::LbLatencyBins::kBins - 1, hi + 1);
  const int bins = hi - lo + 1;
  const float bw = (q1.x - q0.x) / static_cast<float>(bins);
  auto fraction = [](const balance::LbLatencyBins& h, int i) {
    return h.total ? static_cast<double>(h.counts[static_cast<std::size_t>(i)]) / static_cast<double>(h.total) : 0.0;
  };
  double top = 1e-9;
  for (int i = lo; i <= hi; ++i) {
    top = std::max(top, fraction(ba, i));
    if (b != nullptr) top = std::max(top, fraction(b->latency_bins(), i));
  }
  for (int i = lo; i <= hi; ++i) {
    const float x0 = q0.x + bw * static_cast<float>(i - lo);
    const float h = (q1.y - q0.y) * static_cast<float>(fraction(ba, i) / top);
    if (h > 0) dl->AddRectFilled(ImVec2(x0 + 0.5f, q1.y - h), ImVec2(x0 + bw - 0.5f, q1.y), with_alpha(ca, b ? 150 : 210));
  }
  if (b != nullptr) {
    ImVec2 prev(q0.x, q1.y);
    for (int i = lo; i <= hi; ++i) {
      const float x0 = q0.x + bw * static_cast<float>(i - lo);
      const float y = q1.y - (q1.y - q0.y) * static_cast<float>(fraction(b->latency_bins(), i) / top);
      dl->AddLine(prev, ImVec2(x0, y), cb, 2.0f * s);
      dl->AddLine(ImVec2(x0, y), ImVec2(x0 + bw, y), cb, 2.0f * s);
      prev = ImVec2(x0 + bw, y);
    }
    dl->AddLine(prev, ImVec2(prev.x, q1.y), cb, 2.0f * s);
  }
  // x labels: a few bin lower bounds; percentile markers of a (and b)
  auto x_of = [&](SimTimeUs us) {
    const int bin = balance::LbLatencyBins::bin_of(us);
    const SimTimeUs l = balance::LbLatencyBins::bin_lower_us(bin), u = balance::LbLatencyBins::bin_lower_us(bin + 1);
    const float within = u > l ? static_cast<float>(static_cast<double>(us - l) / static_cast<double>(u - l)) : 0.0f;
    return q0.x + bw * (static_cast<float>(bin - lo) + within);
  };
  float last_label_x = -1e9f;
  for (int i = lo; i <= hi; ++i) {
    if (i % 4 != 0) continue;  // octave starts
    const std::string t = lb_format_latency(balance::LbLatencyBins::bin_lower_us(i));
    const float x = q0.x + bw * static_cast<float>(i - lo);
    if (x - last_label_x < ImGui::CalcTextSize(t.c_str()).x + 8 * s) continue;
    dl->AddLine(ImVec2(x, q1.y), ImVec2(x, q1.y + 3 * s), colour::text_faint);
    dl->AddText(ImVec2(x - 2 * s, q1.y + 2 * s), colour::text_faint, t.c_str());
    last_label_x = x;
  }
  auto markers = [&](const LoadBalancerSim& sim, ImU32 col, float y) {
    const char* names[] = {"p50", "p90", "p99"};
    const double qs[] = {0.5, 0.9, 0.99};
    for (int k = 0; k < 3; ++k) {
      const SimTimeUs v = sim.latency().value_at_quantile(qs[k]);
      if (v <= 0) continue;
      const float x = x_of(v);
      dl->AddLine(ImVec2(x, q0.y), ImVec2(x, q1.y), with_alpha(col, 170), 1.0f * s);
      dl->AddText(ImVec2(x + 2 * s, y), col, names[k]);
    }
  };
  markers(a, b ? ca : colour::text, q0.y);
  if (b != nullptr) markers(*b, cb, q0.y + line_h);
}

// Each server's share of the requests over the last windows; the dashed line is an equal share.
void share_bars(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const LoadBalancerSim& sim, float s) {
  frame(dl, p0, p1, "share of requests, last 10 s", s);
  const float line_h = ImGui::GetTextLineHeight();
  const auto& servers = sim.servers();
  std::vector<std::uint64_t> counts;
  std::vector<std::uint32_t> ids;
  const std::size_t n = sim.window_count();
  for (std::uint32_t i = 0; i < servers.size(); ++i) {
    if (servers[i].removed) continue;
    std::uint64_t c = 0;
    for (std::size_t w = n > kShareWindows ? n - kShareWindows : 0; w < n; ++w)
      if (i < sim.window(w).servers.size()) c += sim.window(w).servers[i].dispatched;
    counts.push_back(c);
    ids.push_back(i);
  }
  std::uint64_t total = 0, top = 1;
  for (auto c : counts) total += c, top = std::max(top, c);
  const balance::LbImbalance imb = balance::lb_imbalance(counts);
  char text[96];
  std::snprintf(text, sizeof text, "max/mean %.2f \xc2\xb7 sd/mean %.2f", imb.max_over_mean, imb.stddev_over_mean);
  dl->AddText(ImVec2(p0.x + 6 * s, p0.y + 3 * s + line_h), colour::text, text);
  const ImVec2 q0(p0.x + 8 * s, p0.y + 2 * line_h + 10 * s), q1(p1.x - 8 * s, p1.y - line_h - 4 * s);
  if (counts.empty() || total == 0 || q1.y - q0.y < 8) return;
  const float slot = (q1.x - q0.x) / static_cast<float>(counts.size());
  const float gap = std::min(4 * s, slot * 0.2f);
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const float x0 = q0.x + slot * static_cast<float>(k);
    const float h = (q1.y - q0.y) * static_cast<float>(static_cast<double>(counts[k]) / static_cast<double>(top));
    dl->AddRectFilled(ImVec2(x0 + gap * 0.5f, q1.y - std::max(h, 1.0f)), ImVec2(x0 + slot - gap * 0.5f, q1.y), lb_server_colour(ids[k]), 2 * s);
    const std::string& name = servers[ids[k]].name;
    const ImVec2 ts = ImGui::CalcTextSize(name.c_str());
    if (ts.x < slot + 2) dl->AddText(ImVec2(x0 + (slot - ts.x) * 0.5f, q1.y + 2 * s), colour::text_faint, name.c_str());
  }
  const double mean = static_cast<double>(total) / static_cast<double>(counts.size());
  const float my = q1.y - (q1.y - q0.y) * static_cast<float>(mean / static_cast<double>(top));
  add_dashed_line(dl, ImVec2(q0.x, my), ImVec2(q1.x, my), with_alpha(colour::select, 150), 1.0f, 4 * s, 3 * s);
}

void legend(ImDrawList* dl, ImVec2 at, std::initializer_list<std::pair<ImU32, const char*>> items, float s) {
  for (const auto& [col, label] : items) {
    dl->AddLine(ImVec2(at.x, at.y + ImGui::GetTextLineHeight() * 0.5f), ImVec2(at.x + 14 * s, at.y + ImGui::GetTextLineHeight() * 0.5f), col, 2.5f * s);
    dl->AddText(ImVec2(at.x + 18 * s, at.y), colour::text_dim, label);
    at.x += 26 * s + ImGui::CalcTextSize(label).x;
  }
}

}  // namespace

void lb_time_plot(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const char* title, const std::vector<LbSeries>& series, bool log_y,
                  bool unit_ms, float s) {
  frame(dl, p0, p1, title, s);
  const float line_h = ImGui::GetTextLineHeight();
  const ImVec2 q0(p0.x + 52 * s, p0.y + line_h + 8 * s), q1(p1.x - 8 * s, p1.y - line_h - 6 * s);
  if (q1.x - q0.x < 20 || q1.y - q0.y < 10) return;
  float x_lo = 1e30f, x_hi = -1e30f, y_lo = 1e30f, y_hi = -1e30f;
  for (const LbSeries& ser : series) {
    for (const ImVec2& p : ser.points) {
      x_lo = std::min(x_lo, p.x), x_hi = std::max(x_hi, p.x);
      if (!log_y || p.y > 0) y_lo = std::min(y_lo, p.y), y_hi = std::max(y_hi, p.y);
    }
  }
  if (x_hi < x_lo) {
    dl->AddText(ImVec2(q0.x, q0.y), colour::text_faint, "no data yet (one point per second)");
    return;
  }
  // the last two minutes at most, at least ten seconds wide, never before 0
  x_hi = std::max(x_hi, 10.0f);
  x_lo = std::max(0.0f, std::min(x_lo, x_hi - 10.0f));
  double ylo, yhi;
  if (log_y) {
    ylo = std::max(0.01, static_cast<double>(y_lo) * 0.7);
    yhi = std::max(ylo * 4, static_cast<double>(y_hi) * 1.4);
  } else {
    ylo = 0;
    yhi = std::max(1.0, static_cast<double>(y_hi) * 1.15);
  }
  auto y_of = [&](double v) {
    const double t = log_y ? (std::log(std::max(v, ylo)) - std::log(ylo)) / (std::log(yhi) - std::log(ylo)) : (v - ylo) / (yhi - ylo);
    return q1.y - static_cast<float>(std::clamp(t, 0.0, 1.0)) * (q1.y - q0.y);
  };
  auto to_screen = [&](ImVec2 p) {
    const float tx = (p.x - x_lo) / std::max(x_hi - x_lo, 1e-6f);
    return ImVec2(q0.x + tx * (q1.x - q0.x), y_of(p.y));
  };
  // y grid: 1-2-5 ticks (log) or a nice step (linear)
  std::vector<double> ticks;
  if (log_y) {
    for (double d = 0.001; d <= yhi * 10; d *= 10)
      for (double m : {1.0, 2.0, 5.0})
        if (d * m >= ylo && d * m <= yhi) ticks.push_back(d * m);
    if (ticks.size() > 7) {  // keep the decades only
      std::vector<double> decades;
      for (double t : ticks)
        if (std::fabs(std::log10(t) - std::round(std::log10(t))) < 1e-6) decades.push_back(t);
      ticks = decades;
    }
  } else {
    const double step = nice_step(yhi / 4);
    for (double t = 0; t <= yhi; t += step) ticks.push_back(t);
  }
  for (double t : ticks) {
    const float y = y_of(t);
    dl->AddLine(ImVec2(q0.x, y), ImVec2(q1.x, y), colour::grid);
    const std::string text = tick_text(t, unit_ms);
    dl->AddText(ImVec2(q0.x - ImGui::CalcTextSize(text.c_str()).x - 4 * s, y - line_h * 0.5f), colour::text_faint, text.c_str());
  }
  // x ticks: simulated seconds
  {
    const double step = nice_step(static_cast<double>(x_hi - x_lo) / 5);
    for (double t = std::ceil(x_lo / step) * step; t <= x_hi + 1e-6; t += step) {
      const float x = to_screen(ImVec2(static_cast<float>(t), 0)).x;
      dl->AddLine(ImVec2(x, q0.y), ImVec2(x, q1.y), colour::grid);
      char text[24];
      std::snprintf(text, sizeof text, "%gs", t);
      dl->AddText(ImVec2(x - ImGui::CalcTextSize(text).x * 0.5f, q1.y + 2 * s), colour::text_faint, text);
    }
  }
  dl->PushClipRect(ImVec2(q0.x - 2, q0.y - 2), ImVec2(q1.x + 2, q1.y + 2), true);
  for (const LbSeries& ser : series) polyline(dl, ser, to_screen, s);
  dl->PopClipRect();
}

void LbMetricsPanel::draw(const View& view, UiCommands& out) {
  const LoadBalancerSim* sim = view.world.lb();
  if (sim == nullptr) return;
  const float s = view.scale;
  const bool keyed = balance::lb_algo_uses_keys(sim->algo());
  if (static_cast<int>(sim->algo()) != last_algo_) {
    want_placement_tab_ = keyed;
    last_algo_ = static_cast<int>(sim->algo());
  }
  if (!ImGui::BeginTabBar("##lb_tabs")) return;
  if (ImGui::BeginTabItem("Latency & load")) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 o = ImGui::GetCursorScreenPos();
    ImVec2 size = ImGui::GetContentRegionAvail();
    size.x = std::max(size.x, 100.0f);
    size.y = std::max(size.y, 100.0f);
    ImGui::Dummy(size);
    const float line_h = ImGui::GetTextLineHeight();
    // headline
    {
      char text[200];
      const auto& lat = sim->latency();
      std::snprintf(text, sizeof text, "all requests: p50 %s \xc2\xb7 p90 %s \xc2\xb7 p99 %s \xc2\xb7 max %s",
                    lb_format_latency(lat.value_at_quantile(0.5)).c_str(), lb_format_latency(lat.value_at_quantile(0.9)).c_str(),
                    lb_format_latency(lat.value_at_quantile(0.99)).c_str(), lb_format_latency(lat.max()).c_str());
      dl->AddText(o, colour::text, text);
    }
    const float gap = 6 * s;
    float y = o.y + line_h + gap;
    const float h_total = o.y + size.y - y;
    const float h_lat = std::floor(h_total * 0.40f), h_mid = std::floor(h_total * 0.30f), h_hist = h_total - h_lat - h_mid - 2 * gap;
    {
      std::vector<LbSeries> series = {percentile_series(*sim, 50, colour::ok, 1.5f, false),
                                      percentile_series(*sim, 90, colour::warning, 1.5f, false),
                                      percentile_series(*sim, 99, colour::danger, 2.2f, false)};
      const ImVec2 p0(o.x, y), p1(o.x + size.x, y + h_lat);
      lb_time_plot(dl, p0, p1, "latency per second (log scale)", series, true, true, s);
      const float legend_w = 3 * 26 * s + ImGui::CalcTextSize("p50p90p99").x;
      legend(dl, ImVec2(p1.x - legend_w - 6 * s, p0.y + 3 * s), {{colour::ok, "p50"}, {colour::warning, "p90"}, {colour::danger, "p99"}}, s);
      y += h_lat + gap;
    }
    {
      const float half = std::floor((size.x - gap) * 0.5f);
      std::vector<LbSeries> series;
      for (std::uint32_t i = 0; i < sim->servers().size(); ++i)
        if (!sim->servers()[i].removed) series.push_back(queue_series(*sim, i, lb_server_colour(i), 1.8f, false));
      lb_time_plot(dl, ImVec2(o.x, y), ImVec2(o.x + half, y + h_mid), "queue length per server", series, false, false, s);
      share_bars(dl, ImVec2(o.x + half + gap, y), ImVec2(o.x + size.x, y + h_mid), *sim, s);
      y += h_mid + gap;
    }
    histogram(dl, ImVec2(o.x, y), ImVec2(o.x + size.x, y + h_hist), "latency histogram, all requests (log scale)", *sim, IM_COL32(120, 170, 255, 255),
              nullptr, 0, s);
    ImGui::EndTabItem();
  }
  if (keyed) {
    const ImGuiTabItemFlags flags = want_placement_tab_ ? ImGuiTabItemFlags_SetSelected : 0;
    want_placement_tab_ = false;
    if (ImGui::BeginTabItem("Placement (keys)", nullptr, flags)) {
      placement.draw(view, *sim, out);
      ImGui::EndTabItem();
    }
  }
  ImGui::EndTabBar();
}

void draw_lb_compare_metrics(const View& view, const World& a, const World& b) {
  const LoadBalancerSim* sa = a.lb();
  const LoadBalancerSim* sb = b.lb();
  if (sa == nullptr || sb == nullptr) return;
  const float s = view.scale;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImVec2 size = ImGui::GetContentRegionAvail();
  size.x = std::max(size.x, 200.0f);
  size.y = std::max(size.y, 80.0f);
  ImGui::Dummy(size);
  const float line_h = ImGui::GetTextLineHeight();
  // legend line: which colour is which side, and the same-workload check
  {
    ImVec2 at = o;
    std::string la = std::string("A: ") + balance::lb_algo_label(sa->algo());
    std::string lbl = std::string("B: ") + balance::lb_algo_label(sb->algo());
    legend(dl, at, {{kCompareA, la.c_str()}, {kCompareB, lbl.c_str()}}, s);
    const bool same = sa->workload_hash() == sb->workload_hash() && sa->totals().arrivals == sb->totals().arrivals;
    char text[160];
    std::snprintf(text, sizeof text, same ? "same seed, same %llu requests: only the balancer differs"
                                          : "requests differ (a command changed the workload?)",
                  static_cast<unsigned long long>(sa->totals().arrivals));
    const float w = ImGui::CalcTextSize(text).x;
    dl->AddText(ImVec2(o.x + size.x - w - 4 * s, at.y), same ? colour::text_faint : colour::warning, text);
    // the verdict in numbers, between the legend and that note
    std::snprintf(text, sizeof text, "overall p99: A %s, B %s \xc2\xb7 dropped: A %llu, B %llu",
                  lb_format_latency(sa->latency().value_at_quantile(0.99)).c_str(), lb_format_latency(sb->latency().value_at_quantile(0.99)).c_str(),
                  static_cast<unsigned long long>(sa->totals().dropped + sa->totals().failed),
                  static_cast<unsigned long long>(sb->totals().dropped + sb->totals().failed));
    const float legend_w = 60 * s + ImGui::CalcTextSize(la.c_str()).x + ImGui::CalcTextSize(lbl.c_str()).x;
    const float vx = o.x + legend_w + 20 * s;
    if (vx + ImGui::CalcTextSize(text).x < o.x + size.x - w - 20 * s) dl->AddText(ImVec2(vx, at.y), colour::text, text);
  }
  const float gap = 8 * s;
  const float y = o.y + line_h + 6 * s;
  const float h = o.y + size.y - y;
  const float w1 = std::floor(size.x * 0.40f), w2 = std::floor(size.x * 0.28f), w3 = size.x - w1 - w2 - 2 * gap;
  {
    std::vector<LbSeries> series = {percentile_series(*sa, 50, with_alpha(kCompareA, 150), 1.3f, true),
                                    percentile_series(*sb, 50, with_alpha(kCompareB, 150), 1.3f, true),
                                    percentile_series(*sa, 99, kCompareA, 2.4f, false), percentile_series(*sb, 99, kCompareB, 2.4f, false)};
    lb_time_plot(dl, ImVec2(o.x, y), ImVec2(o.x + w1, y + h), "p99 (solid) and p50 (dashed) per second, log scale", series, true, true, s);
  }
  {
    std::vector<LbSeries> series = {queue_series(*sa, LoadBalancerSim::kNone, kCompareA, 2.2f, false),
                                    queue_series(*sb, LoadBalancerSim::kNone, kCompareB, 2.2f, false)};
    lb_time_plot(dl, ImVec2(o.x + w1 + gap, y), ImVec2(o.x + w1 + gap + w2, y + h), "requests queued, all servers", series, false, false, s);
  }
  histogram(dl, ImVec2(o.x + w1 + w2 + 2 * gap, y), ImVec2(o.x + w1 + w2 + 2 * gap + w3, y + h), "latency histogram (A bars, B line)", *sa,
            kCompareA, sb, kCompareB, s);
}

}  // namespace dsplay::ui
