// Time series as CSV text (RFC 4180): one row per sample time, one column per series, numbers in
// their shortest round-trip form, so exported runs diff cleanly and load into any plotting tool.
#pragma once
#include <string>
#include <vector>

#include "core/monitor/detectors.hpp"
#include "core/sim_time.hpp"

namespace dsplay::monitor {

struct SeriesColumn {
  std::string name;
  std::vector<double> values;  // shorter than the time column -> empty cells; NaN -> empty cell
};

// Header "time_us,<name>,...", then one line per time. Names with , " CR or LF are quoted.
std::string series_csv(const std::vector<SimTimeUs>& time_us, const std::vector<SeriesColumn>& columns);

// A detector's view of a series: time_us,value,expected,band_low,band_high,score,is_anomaly.
std::string detector_csv(const std::vector<SimTimeUs>& time_us, const std::vector<double>& values,
                         const std::vector<DetectorOutput>& outputs);

// RFC 4180 field quoting (only when needed).
std::string csv_field(const std::string& text);

}  // namespace dsplay::monitor
