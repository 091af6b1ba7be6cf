// Prometheus text exposition writer (see prom_text.hpp).
#include "core/monitor/prom_text.hpp"

#include <algorithm>

#include "core/monitor/number_text.hpp"

namespace dsplay::monitor {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string label_block(const std::vector<PromLabel>& labels) {
  if (labels.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += labels[i].name;
    out += "=\"";
    out += prom_escape_label_value(labels[i].value);
    out += '"';
  }
  out += '}';
  return out;
}

// Order-independent identity of a label set (sorted by name, escaped values).
std::string label_signature(std::vector<PromLabel> labels) {
  std::sort(labels.begin(), labels.end(), [](const PromLabel& a, const PromLabel& b) { return a.name < b.name; });
  return label_block(labels);
}

// [a-zA-Z_][a-zA-Z0-9_]*, with ':' allowed too in metric names (`colon`), not in label names.
bool valid_name(std::string_view name, bool colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!(is_alpha(c) || c == '_' || (colon && c == ':') || (i > 0 && is_digit(c)))) return false;
  }
  return true;
}

// Backslash and newline escaped (HELP text); label values (`quotes`) escape '"' too.
std::string escape(std::string_view text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') out += "\\\\";
    else if (quotes && c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

const char* prom_type_name(PromType type) {
  switch (type) {
    case PromType::counter: return "counter";
    case PromType::gauge: return "gauge";
    case PromType::histogram: return "histogram";
    case PromType::untyped: return "untyped";
  }
  return "untyped";
}

bool prom_valid_metric_name(std::string_view name) { return valid_name(name, true); }

bool prom_valid_label_name(std::string_view name) { return name.substr(0, 2) != "__" && valid_name(name, false); }

std::string prom_escape_label_value(std::string_view value) { return escape(value, true); }

std::string prom_escape_help(std::string_view help) { return escape(help, false); }

bool PromExposition::fail(std::string message) {
  errors_.push_back(std::move(message));
  return false;
}

PromExposition::Family* PromExposition::family_for(std::string_view name, std::string_view help, PromType type) {
  const std::string n(name);
  if (!prom_valid_metric_name(n)) {
    fail("invalid metric name '" + n + "'");
    return nullptr;
  }
  for (Family& f : families_) {
    if (f.name == n) {
      if (f.type != type) {
        fail("metric '" + n + "' already has type " + prom_type_name(f.type) + ", not " + prom_type_name(type));
        return nullptr;
      }
      return &f;
    }
    // A histogram owns name_bucket, name_sum and name_count.
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      if ((f.type == PromType::histogram && n == f.name + suffix) ||
          (type == PromType::histogram && f.name == n + suffix)) {
        fail("metric '" + n + "' clashes with histogram series of '" + f.name + "'");
        return nullptr;
      }
    }
  }
  families_.push_back({n, std::string(help), type, {}, {}});
  return &families_.back();
}

bool PromExposition::check_labels(std::string_view name, const std::vector<PromLabel>& labels, bool histogram) {
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (!prom_valid_label_name(labels[i].name)) {
      return fail("metric '" + std::string(name) + "': invalid label name '" + labels[i].name + "'");
    }
    if (histogram && labels[i].name == "le") {
      return fail("metric '" + std::string(name) + "': label 'le' is reserved for histogram buckets");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (labels[j].name == labels[i].name) {
        return fail("metric '" + std::string(name) + "': duplicate label '" + labels[i].name + "'");
      }
    }
  }
  return true;
}

PromExposition::Family* PromExposition::family_with_new_labels(std::string_view name, std::string_view help,
                                                               PromType type, const std::vector<PromLabel>& labels) {
  Family* family = family_for(name, help, type);
  if (family == nullptr) return nullptr;
  const std::string signature = label_signature(labels);
  const auto it = std::lower_bound(family->label_sets.begin(), family->label_sets.end(), signature);
  if (it != family->label_sets.end() && *it == signature) {
    fail("metric '" + family->name + "': repeated label set " + signature);
    return nullptr;
  }
  family->label_sets.insert(it, signature);
  return family;
}

bool PromExposition::add_sample(std::string_view name, std::string_view help, PromType type, double value,
                                std::vector<PromLabel> labels) {
  if (!check_labels(name, labels, false)) return false;
  Family* family = family_with_new_labels(name, help, type, labels);
  if (family == nullptr) return false;
  family->lines.push_back(family->name + label_block(labels) + ' ' + format_double(value));
  return true;
}

bool PromExposition::counter(std::string_view name, std::string_view help, double value, std::vector<PromLabel> labels) {
  return add_sample(name, help, PromType::counter, value, std::move(labels));
}

bool PromExposition::gauge(std::string_view name, std::string_view help, double value, std::vector<PromLabel> labels) {
  return add_sample(name, help, PromType::gauge, value, std::move(labels));
}

bool PromExposition::untyped(std::string_view name, std::string_view help, double value, std::vector<PromLabel> labels) {
  return add_sample(name, help, PromType::untyped, value, std::move(labels));
}

bool PromExposition::histogram(std::string_view name, std::string_view help, const PromHistogram& histogram,
                               std::vector<PromLabel> labels) {
  if (!check_labels(name, labels, true)) return false;
  if (ends_with(name, "_bucket") || ends_with(name, "_sum") || ends_with(name, "_count")) {
    return fail("histogram '" + std::string(name) + "' must not end in _bucket, _sum or _count");
  }
  Family* family = family_with_new_labels(name, help, PromType::histogram, labels);
  if (family == nullptr) return false;
  for (const PromBucket& bucket : histogram.cumulative_buckets()) {
    std::vector<PromLabel> with_le = labels;
    with_le.push_back({"le", format_double(bucket.upper_bound)});
    family->lines.push_back(family->name + "_bucket" + label_block(with_le) + ' ' + format_double(bucket.cumulative_count));
  }
  const std::string block = label_block(labels);
  family->lines.push_back(family->name + "_sum" + block + ' ' + format_double(histogram.sum()));
  family->lines.push_back(family->name + "_count" + block + ' ' + format_double(static_cast<double>(histogram.count())));
  return true;
}

std::string PromExposition::text() const {
  std::string out;
  for (const Family& f : families_) {
    out += "# HELP " + f.name + ' ' + prom_escape_help(f.help) + '\n';
    out += "# TYPE " + f.name + ' ' + prom_type_name(f.type) + '\n';
    for (const std::string& line : f.lines) {
      out += line;
      out += '\n';
    }
  }
  return out;
}

}  // namespace dsplay::monitor
