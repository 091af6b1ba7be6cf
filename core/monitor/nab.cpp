// NAB parsing, scoring and the detector table (see nab.hpp).
#include "core/monitor/nab.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/monitor/number_text.hpp"

namespace dsplay::monitor {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (the well-known era/day-of-era arithmetic;
// integer only, valid for any year).
std::int64_t days_from_civil(std::int64_t year, std::int64_t month, std::int64_t day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

bool read_digits(std::string_view text, std::size_t pos, std::size_t count, std::int64_t& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool is_leap(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

}  // namespace

std::optional<std::int64_t> parse_nab_timestamp_s(std::string_view text) {
  std::int64_t year, month, day, hour, minute, second;
  if (text.size() < 19 || !read_digits(text, 0, 4, year) || text[4] != '-' || !read_digits(text, 5, 2, month) ||
      text[7] != '-' || !read_digits(text, 8, 2, day) || text[10] != ' ' || !read_digits(text, 11, 2, hour) ||
      text[13] != ':' || !read_digits(text, 14, 2, minute) || text[16] != ':' || !read_digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (text.size() > 19) {
    if (text[19] != '.' || text.size() == 20) return std::nullopt;
    for (std::size_t i = 20; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
    }
  }
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  const std::int64_t month_days = kDaysInMonth[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
  if (day > month_days || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return days_from_civil(year, month, day) * 86'400 + hour * 3'600 + minute * 60 + second;
}

NabCsv parse_nab_csv(std::string_view text) {
  NabCsv out;
  std::size_t line_number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto fail = [&](const std::string& what) {
      out.error = "line " + std::to_string(line_number) + ": " + what;
      out.time_s.clear();
      out.values.clear();
      return out;
    };
    if (line_number == 1) {
      if (line != "timestamp,value") return fail("expected header 'timestamp,value'");
      continue;
    }
    if (line.empty()) {
      if (pos >= text.size()) break;  // final newline
      return fail("empty line");
    }
    const std::size_t comma = line.find(',');
    if (comma == std::string_view::npos) return fail("expected '<timestamp>,<value>'");
    const auto time_s = parse_nab_timestamp_s(line.substr(0, comma));
    if (!time_s) return fail("bad timestamp '" + std::string(line.substr(0, comma)) + "'");
    const auto value = parse_double(line.substr(comma + 1));
    if (!value) return fail("bad value '" + std::string(line.substr(comma + 1)) + "'");
    out.time_s.push_back(*time_s);
    out.values.push_back(*value);
  }
  if (line_number == 0) out.error = "line 1: expected header 'timestamp,value'";
  return out;
}

NabLabels parse_nab_windows(std::string_view json_text) {
  NabLabels out;
  const nlohmann::json root = nlohmann::json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (root.is_discarded()) {
    out.error = "labels: not valid JSON";
    return out;
  }
  if (!root.is_object()) {
    out.error = "labels: top level is not an object";
    return out;
  }
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string& key = it.key();
    const nlohmann::json& list = it.value();
    if (!list.is_array()) {
      out.error = "labels: '" + key + "' is not a list of windows";
      out.windows.clear();
      return out;
    }
    std::vector<NabWindow> windows;
    for (const nlohmann::json& pair : list) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        out.error = "labels: '" + key + "' has a window that is not [\"start\", \"end\"]";
        out.windows.clear();
        return out;
      }
      const auto start = parse_nab_timestamp_s(pair[0].get_ref<const std::string&>());
      const auto end = parse_nab_timestamp_s(pair[1].get_ref<const std::string&>());
      if (!start || !end || *end < *start) {
        out.error = "labels: '" + key + "' has a bad window";
        out.windows.clear();
        return out;
      }
      windows.push_back({*start, *end});
    }
    out.windows.emplace_back(key, std::move(windows));
  }
  // nlohmann's object is a std::map, so keys are already sorted; keep the guarantee explicit.
  std::sort(out.windows.begin(), out.windows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::string nab_category(std::string_view key) {
  const std::size_t slash = key.find('/');
  return std::string(slash == std::string_view::npos ? key : key.substr(0, slash));
}

NabSeries make_nab_series(std::string_view key, std::string_view csv_text, const NabLabels& labels, std::string* error) {
  NabSeries series;
  series.key = std::string(key);
  series.category = nab_category(key);
  NabCsv csv = parse_nab_csv(csv_text);
  if (!csv.ok() && error != nullptr) *error = series.key + ": " + csv.error;
  series.time_s = std::move(csv.time_s);
  series.values = std::move(csv.values);
  const auto it = std::lower_bound(labels.windows.begin(), labels.windows.end(), key,
                                   [](const auto& entry, std::string_view k) { return entry.first < k; });
  if (it != labels.windows.end() && it->first == key) series.windows = it->second;
  return series;
}

std::size_t nab_probation_points(std::size_t series_points, const NabScoringConfig& config) {
  const auto fraction_points = static_cast<std::size_t>(config.probation_fraction * static_cast<double>(series_points));
  return std::min(fraction_points, config.probation_points_max);
}

NabSeriesScore score_nab_flags(const NabSeries& series, const std::vector<std::uint8_t>& flags,
                               const NabScoringConfig& config) {
  NabSeriesScore score;
  const std::size_t n = series.time_s.size();
  const std::size_t probation = nab_probation_points(n, config);
  const std::int64_t scored_from_s = probation < n ? series.time_s[probation] : INT64_MAX;
  std::vector<std::uint8_t> window_counts(series.windows.size(), 0);  // 1 = scored, 2 = detected
  for (std::size_t w = 0; w < series.windows.size(); ++w) {
    if (series.windows[w].end_s < scored_from_s) {
      ++score.windows_in_probation;
    } else {
      window_counts[w] = 1;
      ++score.windows;
    }
  }
  std::size_t run = 0;  // current run of flagged points outside every window
  auto close_run = [&] {
    if (run == 0) return;
    score.false_positives += config.fp_repeat_points == 0 ? 1 : (run + config.fp_repeat_points - 1) / config.fp_repeat_points;
    run = 0;
  };
  for (std::size_t i = probation; i < n; ++i) {
    const bool flagged = i < flags.size() && flags[i] != 0;
    if (!flagged) {
      close_run();
      continue;
    }
    ++score.flags;
    bool inside = false;
    for (std::size_t w = 0; w < series.windows.size(); ++w) {
      if (series.time_s[i] >= series.windows[w].start_s && series.time_s[i] <= series.windows[w].end_s) {
        inside = true;
        if (window_counts[w] == 1) {
          window_counts[w] = 2;
          ++score.windows_detected;
        }
      }
    }
    if (inside) close_run(); else ++run;
  }
  close_run();
  return score;
}

NabDetectorDefaults::NabDetectorDefaults() {
  // The detectors' defaults are already the NAB-tuned ones; the baseline's k was swept the same way
  // (3..20) and 10 is its best round value. See docs/MONITORING.md.
  threshold.calibrate_k = 10;
}

std::size_t nab_season_points(const NabSeries& series, std::int64_t season_s) {
  std::vector<std::int64_t> steps;
  for (std::size_t i = 1; i < series.time_s.size(); ++i) {
    const std::int64_t step = series.time_s[i] - series.time_s[i - 1];
    if (step > 0) steps.push_back(step);
  }
  if (steps.empty() || season_s <= 0) return 1;
  std::nth_element(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2), steps.end());
  const std::int64_t median_step = steps[steps.size() / 2];
  const std::int64_t points = (season_s + median_step / 2) / median_step;
  return static_cast<std::size_t>(std::clamp<std::int64_t>(points, 1, 10'000));
}

AnyDetector make_nab_detector(DetectorKind kind, const NabSeries& series, const NabDetectorDefaults& defaults,
                              const NabScoringConfig& scoring) {
  switch (kind) {
    case DetectorKind::threshold: {
      ThresholdConfig config = defaults.threshold;
      config.calibrate_points = std::max<std::size_t>(nab_probation_points(series.values.size(), scoring), 2);
      return ThresholdDetector(config);
    }
    case DetectorKind::ewma: return EwmaDetector(defaults.ewma);
    case DetectorKind::mad: return MadDetector(defaults.mad);
    case DetectorKind::holt_winters: {
      HoltWintersConfig config = defaults.holt_winters;
      config.season_length = nab_season_points(series, defaults.season_s);
      return HoltWintersDetector(config);
    }
    case DetectorKind::rls: return RlsDetector(defaults.rls);
  }
  return ThresholdDetector();
}

std::vector<std::uint8_t> run_detector_flags(AnyDetector detector, const std::vector<double>& values) {
  std::vector<std::uint8_t> flags(values.size(), 0);
  for (std::size_t i = 0; i < values.size(); ++i) flags[i] = detector_update(detector, values[i]).is_anomaly ? 1 : 0;
  return flags;
}

NabRow make_nab_row(std::string detector, std::string category, std::size_t windows_detected, std::size_t windows,
                    std::size_t false_positives) {
  NabRow row;
  row.detector = std::move(detector);
  row.category = std::move(category);
  row.windows_detected = windows_detected;
  row.windows = windows;
  row.false_positives = false_positives;
  const double detected = static_cast<double>(windows_detected);
  row.precision = windows_detected + false_positives > 0 ? detected / static_cast<double>(windows_detected + false_positives) : 0;
  row.recall = windows > 0 ? detected / static_cast<double>(windows) : 0;
  row.f1 = row.precision + row.recall > 0 ? 2 * row.precision * row.recall / (row.precision + row.recall) : 0;
  return row;
}

std::vector<NabRow> run_nab(const std::vector<NabSeries>& series, const std::vector<DetectorKind>& detectors,
                            const NabDetectorDefaults& defaults, const NabScoringConfig& scoring) {
  std::vector<std::string> categories;
  for (const NabSeries& s : series) categories.push_back(s.category);
  std::sort(categories.begin(), categories.end());
  categories.erase(std::unique(categories.begin(), categories.end()), categories.end());

  std::vector<NabRow> rows;
  for (const DetectorKind kind : detectors) {
    struct Totals { std::size_t detected = 0, windows = 0, false_positives = 0; };
    std::vector<Totals> per_category(categories.size());
    Totals all;
    for (const NabSeries& s : series) {
      const auto flags = run_detector_flags(make_nab_detector(kind, s, defaults, scoring), s.values);
      const NabSeriesScore score = score_nab_flags(s, flags, scoring);
      const auto c = static_cast<std::size_t>(std::lower_bound(categories.begin(), categories.end(), s.category) - categories.begin());
      for (Totals* t : {&per_category[c], &all}) {
        t->detected += score.windows_detected;
        t->windows += score.windows;
        t->false_positives += score.false_positives;
      }
    }
    const std::string name(detector_kind_name(kind));
    for (std::size_t c = 0; c < categories.size(); ++c) {
      const Totals& t = per_category[c];
      rows.push_back(make_nab_row(name, categories[c], t.detected, t.windows, t.false_positives));
    }
    rows.push_back(make_nab_row(name, "all", all.detected, all.windows, all.false_positives));
  }
  return rows;
}

std::string format_nab_table(const std::vector<NabRow>& rows) {
  std::string out = "| detector | category | precision | recall | F1 | windows detected | windows | false positives |\n"
                    "|---|---|---:|---:|---:|---:|---:|---:|\n";
  char buffer[256];
  for (const NabRow& r : rows) {
    std::snprintf(buffer, sizeof buffer, "| %s | %s | %.3f | %.3f | %.3f | %zu | %zu | %zu |\n", r.detector.c_str(),
                  r.category.c_str(), r.precision, r.recall, r.f1, r.windows_detected, r.windows, r.false_positives);
    out += buffer;
  }
  return out;
}

}  // namespace dsplay::monitor
