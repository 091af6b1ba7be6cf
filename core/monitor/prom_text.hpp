// Metrics in the Prometheus text exposition format (version 0.0.4): "# HELP" / "# TYPE" lines,
// counters, gauges and histograms (_bucket{le=...}, _sum, _count), escaped label values. A real
// Prometheus can scrape what this writes, and the tests check it with `promtool check metrics`.
// Pure: it builds the text; serving or writing it is the CLI's / app's job.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/monitor/prom_histogram.hpp"

namespace dsplay::monitor {

enum class PromType : std::uint8_t { counter, gauge, histogram, untyped };
const char* prom_type_name(PromType type);

struct PromLabel {
  std::string name;
  std::string value;
  bool operator==(const PromLabel&) const = default;
};

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool prom_valid_metric_name(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]* and not starting with "__" (reserved for Prometheus itself).
bool prom_valid_label_name(std::string_view name);
// Label values: backslash -> \\, double quote -> \", line feed -> \n.
std::string prom_escape_label_value(std::string_view value);
// HELP text: backslash -> \\, line feed -> \n.
std::string prom_escape_help(std::string_view help);

// Collects samples grouped into metric families and writes them out. Families appear in the order
// first added, each with one HELP and one TYPE line, samples in the order added. Invalid input
// (bad names, a type that conflicts with an earlier one, reserved or duplicate labels, a sample
// repeating an existing label set, names clashing with a histogram's _bucket/_sum/_count) is not
// written: it is recorded in errors() and the call returns false.
class PromExposition {
 public:
  // Counters should be named "..._total" (promtool's lint asks for it); the name is used as given.
  bool counter(std::string_view name, std::string_view help, double value, std::vector<PromLabel> labels = {});
  bool gauge(std::string_view name, std::string_view help, double value, std::vector<PromLabel> labels = {});
  bool untyped(std::string_view name, std::string_view help, double value, std::vector<PromLabel> labels = {});
  // One histogram series: cumulative name_bucket{...,le="<bound>"} lines ending with le="+Inf",
  // then name_sum and name_count. labels must not contain "le".
  bool histogram(std::string_view name, std::string_view help, const PromHistogram& histogram,
                 std::vector<PromLabel> labels = {});

  std::string text() const;
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  struct Family {
    std::string name;
    std::string help;
    PromType type = PromType::untyped;
    std::vector<std::string> lines;        // sample lines without the trailing newline
    std::vector<std::string> label_sets;   // sorted label signatures already present
  };
  Family* family_for(std::string_view name, std::string_view help, PromType type);
  // family_for, and the family claims this label set: nullptr (and an error) if it already has it.
  Family* family_with_new_labels(std::string_view name, std::string_view help, PromType type,
                                 const std::vector<PromLabel>& labels);
  bool check_labels(std::string_view name, const std::vector<PromLabel>& labels, bool histogram);
  bool add_sample(std::string_view name, std::string_view help, PromType type, double value,
                  std::vector<PromLabel> labels);
  bool fail(std::string message);

  std::vector<Family> families_;
  std::vector<std::string> errors_;
};

}  // namespace dsplay::monitor
