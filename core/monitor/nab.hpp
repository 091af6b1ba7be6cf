// The Numenta Anomaly Benchmark (NAB) corpus as test data for the detectors: pure parsers for its
// CSV series and its label windows (text in, values out; reading the files is the CLI's and the
// tests' job), a window-based scorer, and a runner that produces the per-detector, per-category
// table in docs/MONITORING.md.
//
// Scoring (dsplay's, simpler than NAB's sigmoid score; all choices are knobs in NabScoringConfig):
// - The first min(15% of points, 750) points are a probationary period (NAB's rule): detectors
//   learn there, flags there are ignored, and windows that end inside it are not counted.
// - A window is detected if any flag falls inside it (inclusive timestamps); many flags in one
//   window still count once.
// - False positives are *alert episodes* outside every window: a run of consecutive flagged points
//   counts as one, but a run that goes on re-alerts every fp_repeat_points points (like
//   Alertmanager's repeat_interval), so "flag everything" cannot score well.
// - precision = detected / (detected + false positives), recall = detected / windows, F1 their
//   harmonic mean (0 when undefined). Category and "all" rows sum the counts first (micro average).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/monitor/detectors.hpp"

namespace dsplay::monitor {

struct NabWindow {
  std::int64_t start_s = 0;  // seconds since 1970-01-01 00:00:00 (the timestamps have no zone)
  std::int64_t end_s = 0;
  bool operator==(const NabWindow&) const = default;
};

struct NabSeries {
  std::string key;       // "realTweets/Twitter_volume_AAPL.csv" (the labels file's key)
  std::string category;  // "realTweets"
  std::vector<std::int64_t> time_s;
  std::vector<double> values;
  std::vector<NabWindow> windows;
};

// "2014-04-10 07:15:00" or with a fraction "2014-04-10 07:15:00.000000" (the fraction is checked
// for digits and dropped). Proleptic Gregorian calendar, integer arithmetic only.
std::optional<std::int64_t> parse_nab_timestamp_s(std::string_view text);

struct NabCsv {
  std::vector<std::int64_t> time_s;
  std::vector<double> values;
  std::string error;  // empty on success; else "line N: ..."
  bool ok() const { return error.empty(); }
};
// Header "timestamp,value", then "<timestamp>,<number>" lines (LF or CRLF; a final newline optional).
NabCsv parse_nab_csv(std::string_view text);

struct NabLabels {
  std::vector<std::pair<std::string, std::vector<NabWindow>>> windows;  // sorted by key
  std::string error;
  bool ok() const { return error.empty(); }
};
// labels/combined_windows.json: {"<category>/<file>.csv": [["start", "end"], ...], ...}.
// Never throws (nlohmann is used without exceptions).
NabLabels parse_nab_windows(std::string_view json_text);

// The text before the first '/' of a key.
std::string nab_category(std::string_view key);

// Builds a series from a key, its CSV text and the parsed labels (windows empty if the key is not
// labelled). error set when the CSV is bad.
NabSeries make_nab_series(std::string_view key, std::string_view csv_text, const NabLabels& labels,
                          std::string* error = nullptr);

struct NabScoringConfig {
  double probation_fraction = 0.15;
  std::size_t probation_points_max = 750;
  std::size_t fp_repeat_points = 12;  // 0 = a run of flags is always one false positive
};
std::size_t nab_probation_points(std::size_t series_points, const NabScoringConfig& config);

struct NabSeriesScore {
  std::size_t windows = 0;              // scored windows (those ending in probation excluded)
  std::size_t windows_detected = 0;
  std::size_t false_positives = 0;
  std::size_t windows_in_probation = 0;
  std::size_t flags = 0;                // flagged points after probation
};
// flags[i] != 0 means point i was flagged.
NabSeriesScore score_nab_flags(const NabSeries& series, const std::vector<std::uint8_t>& flags,
                               const NabScoringConfig& config = {});

// Detector defaults used for NAB: one config per detector, the same for every series. Two things are
// derived per series from its data (never from its labels): the baseline's calibration length is
// the probationary period, and Holt-Winters' season is season_s divided by the median sample spacing.
struct NabDetectorDefaults {
  ThresholdConfig threshold;
  EwmaConfig ewma;
  MadConfig mad;
  HoltWintersConfig holt_winters;
  RlsConfig rls;
  std::int64_t season_s = 86'400;
  NabDetectorDefaults();  // the detector configs' own defaults, and the baseline's calibrate_k = 10
};
std::size_t nab_season_points(const NabSeries& series, std::int64_t season_s);
AnyDetector make_nab_detector(DetectorKind kind, const NabSeries& series, const NabDetectorDefaults& defaults,
                              const NabScoringConfig& scoring);

// Runs a detector over a series: one flag per point.
std::vector<std::uint8_t> run_detector_flags(AnyDetector detector, const std::vector<double>& values);

struct NabRow {
  std::string detector;   // detector_kind_name
  std::string category;   // a NAB category, or "all"
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  std::size_t windows_detected = 0;
  std::size_t windows = 0;
  std::size_t false_positives = 0;
};
NabRow make_nab_row(std::string detector, std::string category, std::size_t windows_detected, std::size_t windows,
                    std::size_t false_positives);

// Every detector over every series. Rows per detector (in the given order): one per category
// (sorted), then "all".
std::vector<NabRow> run_nab(const std::vector<NabSeries>& series, const std::vector<DetectorKind>& detectors,
                            const NabDetectorDefaults& defaults = {}, const NabScoringConfig& scoring = {});

// The rows as a Markdown table (precision/recall/F1 with 3 decimals).
std::string format_nab_table(const std::vector<NabRow>& rows);

}  // namespace dsplay::monitor
