// The monitoring experiments of `dsplay experiment`:
//   nab  runs the anomaly detectors (core/monitor/detectors.hpp) and the fixed-threshold baseline
//        over the Numenta Anomaly Benchmark corpus and prints, per detector and NAB category,
//        windows detected, false positives, precision, recall and F1 (rules in core/monitor/nab.hpp).
// This file only reads the corpus files and prints; parsing and scoring are core/monitor/nab.*.
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/monitor/nab.hpp"
#include "tools/cli/experiments.hpp"

namespace dsplay::cli {

namespace {

using Json = nlohmann::ordered_json;

std::string fixed3(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

}  // namespace

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
