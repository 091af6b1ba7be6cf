// The monitoring experiments of `dsplay experiment`:
//   nab  runs the anomaly detectors (core/monitor/detectors.hpp) and the fixed-threshold baseline
//        over the Numenta Anomaly Benchmark corpus and prints, per detector and NAB category,
//        windows detected, false positives, precision, recall and F1 (rules in core/monitor/nab.hpp).
// This file only reads the corpus files and prints; parsing and scoring are core/monitor/nab.*.
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/monitor/nab.hpp"
#include "core/monitor/server_watch.hpp"
#include "tools/cli/experiments.hpp"
#include "tools/cli/monitor_summary.hpp"

namespace dsplay::cli {

namespace {

using Json = nlohmann::ordered_json;

std::string fixed3(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

void seconds_or_null_us(std::int64_t us, Json& out, const char* key) {
  if (us < 0) out[key] = nullptr;
  else out[key] = static_cast<double>(us) / 1e6;
}

}  // namespace

Json monitoring_summary(const balance::LoadBalancerSim& sim) {
  Json quantiles = Json::array();
  for (const double q : {0.5, 0.9, 0.95, 0.99}) {
    const double truth_ms = static_cast<double>(sim.latency().value_at_quantile(q)) / 1000.0;
    const double prom_ms = sim.latency_prom().count() ? sim.latency_prom().quantile(q) * 1000.0 : 0.0;
    quantiles.push_back(Json{{"q", q},
                             {"true_ms", truth_ms},
                             {"prom_ms", std::round(prom_ms * 1000.0) / 1000.0},
                             {"prom_error_pct", truth_ms > 0 ? std::round((prom_ms - truth_ms) / truth_ms * 1000.0) / 10.0 : 0.0}});
  }
  const monitor::ServerWatch& watch = sim.watch();
  auto server_name = [&](std::uint32_t s) -> Json { return s < sim.servers().size() ? Json(sim.servers()[s].name) : Json(nullptr); };
  Json detectors = Json::array();
  for (std::size_t d = 0; d < monitor::kWatchDetectors; ++d) {
    const monitor::WatchScore& score = watch.scores()[d];
    Json row{{"detector", std::string(monitor::watch_detector_name(d))}};
    seconds_or_null_us(score.first_flag_us, row, "first_flag_s");
    row["first_flag_server"] = score.first_flag_us < 0 ? Json(nullptr) : server_name(score.first_flag_server);
    seconds_or_null_us(score.first_true_flag_us, row, "first_true_flag_s");
    row["true_flags"] = score.true_flags;
    row["false_alarms"] = score.false_alarms;
    Json per_server = Json::object();
    for (std::uint32_t s = 0; s < sim.servers().size(); ++s)
      if (const std::uint32_t n = watch.server_flags(s, d); n > 0) per_server[sim.servers()[s].name] = n;
    row["flags_per_server"] = per_server;
    detectors.push_back(row);
  }
  Json out{{"quantiles", quantiles}, {"windows", watch.windows()}};
  seconds_or_null_us(watch.first_degraded_us(), out, "degraded_since_s");
  const int first = watch.first_detector();
  out["first_detector"] = first < 0 ? Json(nullptr) : Json(std::string(monitor::watch_detector_name(static_cast<std::size_t>(first))));
  out["detectors"] = detectors;
  return out;
}

int nab_experiment(const std::vector<std::string>& args, Io& io) {
  static const std::vector<FlagSpec> specs = {
      {"--data", "DIR", "NAB corpus folder holding data/ and labels/ (default ../shared/data/nab)"},
      {"--json", nullptr, "print a JSON array of {detector, category, precision, recall, f1, ...}"},
  };
  std::string error;
  const auto parsed = parse_args(args, specs, error);
  if (!parsed) return fail_bad_input(io, "experiment nab", error);
  if (parsed->help) {
    io.out << format_help(
        "dsplay experiment nab [--data DIR] [--json]",
        "Anomaly detectors (threshold baseline, EWMA, median/MAD, Holt-Winters, RLS) on the NAB corpus\n"
        "(numenta/NAB: data/<category>/<series>.csv, labels/combined_windows.json). One config per\n"
        "detector for every series; per detector one row per category and one for \"all\".\n"
        "Scoring: see docs/MONITORING.md (window detected if flagged; FP = alert episodes outside windows).",
        specs);
    return kExitOk;
  }
  if (!parsed->positional.empty())
    return fail_bad_input(io, "experiment nab", "unexpected argument \"" + parsed->positional[0] + "\"");
  const std::string dir = parsed->has("--data") ? parsed->values.at("--data") : std::string("../shared/data/nab");
  const std::string labels_path = dir + "/labels/combined_windows.json";
  const auto labels_text = read_file(labels_path, error);
  if (!labels_text)
    return fail_bad_input(io, "experiment nab",
                          "--data: no NAB corpus at \"" + dir + "\" (" + labels_path + " is not readable)");
  const monitor::NabLabels labels = monitor::parse_nab_windows(*labels_text);
  if (!labels.ok()) return fail_bad_input(io, "experiment nab", labels_path + ": " + labels.error);

  std::vector<monitor::NabSeries> series;
  for (const auto& [key, windows] : labels.windows) {
    const std::string path = dir + "/data/" + key;
    const auto csv = read_file(path, error);
    if (!csv) return fail_bad_input(io, "experiment nab", error);
    std::string series_error;
    series.push_back(monitor::make_nab_series(key, *csv, labels, &series_error));
    if (!series_error.empty()) return fail_bad_input(io, "experiment nab", path + ": " + series_error);
  }

  using monitor::DetectorKind;
  const std::vector<DetectorKind> detectors = {DetectorKind::threshold, DetectorKind::ewma, DetectorKind::mad,
                                               DetectorKind::holt_winters, DetectorKind::rls};
  const std::vector<monitor::NabRow> rows = monitor::run_nab(series, detectors);

  if (parsed->has("--json")) {
    Json out = Json::array();
    for (const monitor::NabRow& row : rows) {
      out.push_back({{"detector", row.detector},
                     {"category", row.category},
                     {"precision", row.precision},
                     {"recall", row.recall},
                     {"f1", row.f1},
                     {"windows_detected", row.windows_detected},
                     {"windows", row.windows},
                     {"false_positives", row.false_positives}});
    }
    io.out << out.dump(2) << "\n";
    return kExitOk;
  }
  io.out << "NAB corpus " << dir << ": " << series.size() << " series\n\n";
  io.out << std::left << std::setw(14) << "detector" << std::setw(23) << "category" << std::right << std::setw(9)
         << "detected" << std::setw(9) << "windows" << std::setw(8) << "FP" << std::setw(11) << "precision"
         << std::setw(8) << "recall" << std::setw(7) << "F1" << "\n";
  for (const monitor::NabRow& row : rows) {
    io.out << std::left << std::setw(14) << row.detector << std::setw(23) << row.category << std::right
           << std::setw(9) << row.windows_detected << std::setw(9) << row.windows << std::setw(8)
           << row.false_positives << std::setw(11) << fixed3(row.precision) << std::setw(8) << fixed3(row.recall)
           << std::setw(7) << fixed3(row.f1) << "\n";
    if (row.category == "all") io.out << "\n";
  }
  return kExitOk;
}

}  // namespace dsplay::cli
