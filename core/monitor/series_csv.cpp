// CSV export of time series and detector outputs (see series_csv.hpp).
#include "core/monitor/series_csv.hpp"

#include <cmath>

#include "core/monitor/number_text.hpp"

namespace dsplay::monitor {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

namespace {
std::string cell(double v) { return std::isnan(v) ? std::string() : format_double(v); }
}  // namespace

std::string series_csv(const std::vector<SimTimeUs>& time_us, const std::vector<SeriesColumn>& columns) {
  std::string out = "time_us";
  for (const SeriesColumn& c : columns) out += ',' + csv_field(c.name);
  out += '\n';
  for (std::size_t row = 0; row < time_us.size(); ++row) {
    out += std::to_string(time_us[row]);
    for (const SeriesColumn& c : columns) {
      out += ',';
      if (row < c.values.size()) out += cell(c.values[row]);
    }
    out += '\n';
  }
  return out;
}

std::string detector_csv(const std::vector<SimTimeUs>& time_us, const std::vector<double>& values,
                         const std::vector<DetectorOutput>& outputs) {
  std::string out = "time_us,value,expected,band_low,band_high,score,is_anomaly\n";
  for (std::size_t row = 0; row < time_us.size(); ++row) {
    out += std::to_string(time_us[row]);
    out += ',';
    if (row < values.size()) out += cell(values[row]);
    if (row < outputs.size()) {
      const DetectorOutput& o = outputs[row];
      out += ',' + cell(o.expected) + ',' + cell(o.band_low) + ',' + cell(o.band_high) + ',' + cell(o.score) + ',' +
             (o.is_anomaly ? "1" : "0");
    } else {
      out += ",,,,,";
    }
    out += '\n';
  }
  return out;
}

}  // namespace dsplay::monitor
