// The shared strict JSON reader (see json_reader.hpp).
#include "core/json_reader.hpp"

#include <algorithm>
#include <cmath>

namespace dsplay::json_reading {

namespace {

// Collects the first syntax error of a document without throwing.
struct SyntaxErrorCatcher : nlohmann::json_sax<json> {
  std::string message;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
    message = ex.what();
    const auto bracket = message.find("] ");
    if (message.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) message = message.substr(bracket + 2);
    return false;
  }
};

std::string range_text(std::int64_t lo, std::int64_t hi) { return "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]"; }

}  // namespace

std::optional<json> parse_json(std::string_view text, std::string& error) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded()) return doc;
  SyntaxErrorCatcher catcher;
  json::sax_parse(text.begin(), text.end(), &catcher, nlohmann::detail::input_format_t::json, true);
  error = catcher.message.empty() ? "invalid JSON" : catcher.message;
  return std::nullopt;
}

std::string type_name(const json& j) {
  if (j.is_number_integer()) return "integer";
  if (j.is_number_float()) return "number";
  return j.type_name();
}

void Reader::error(const std::string& path, const std::string& message) {
  errors_.push_back((source_.empty() ? "" : source_ + ": ") + path + ": " + message);
}

bool Reader::object(const json& j, const std::string& path, const std::vector<const char*>& allowed) {
  if (!j.is_object()) {
    error(path, "expected an object, got " + type_name(j));
    return false;
  }
  for (const auto& item : j.items()) {
    const bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* k) { return item.key() == k; });
    if (known) continue;
    std::string expected;
    for (const char* k : allowed) expected += (expected.empty() ? "" : ", ") + std::string(k);
    error(path + "." + item.key(), "unknown key (expected one of: " + expected + ")");
  }
  return true;
}

const json* Reader::field(const json& obj, const char* key, const std::string& path, bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) error(path + "." + key, "missing (required)");
    return nullptr;
  }
  return &*it;
}

bool Reader::string(const json& obj, const char* key, const std::string& path, std::string& out, bool required) {
  const json* j = field(obj, key, path, required);
  if (!j) return false;
  if (!j->is_string()) return error(path + "." + key, "expected a string, got " + type_name(*j)), false;
  out = j->get<std::string>();
  return true;
}

bool Reader::text(const json& obj, const char* key, const std::string& path, std::string& out, bool required) {
  const json* j = field(obj, key, path, required);
  if (!j) return false;
  if (j->is_string()) {
    out = j->get<std::string>();
    return true;
  }
  if (j->is_array()) {
    out.clear();
    for (std::size_t i = 0; i < j->size(); ++i) {
      if (!(*j)[i].is_string()) {
        error(path + "." + key + "[" + std::to_string(i) + "]", "expected a string, got " + type_name((*j)[i]));
        return false;
      }
      if (i) out += "\n\n";
      out += (*j)[i].get<std::string>();
    }
    return true;
  }
  return error(path + "." + key, "expected a string or an array of strings (paragraphs), got " + type_name(*j)), false;
}

bool Reader::boolean(const json& obj, const char* key, const std::string& path, bool& out) {
  const json* j = field(obj, key, path, false);
  if (!j) return false;
  if (!j->is_boolean()) return error(path + "." + key, "expected true or false, got " + type_name(*j)), false;
  out = j->get<bool>();
  return true;
}

bool Reader::integer(const json& obj, const char* key, const std::string& path, std::int64_t lo, std::int64_t hi,
                     std::int64_t& out, bool required) {
  const json* j = field(obj, key, path, required);
  if (!j) return false;
  if (!j->is_number_integer()) return error(path + "." + key, "expected an integer, got " + type_name(*j)), false;
  if (j->is_number_unsigned() && j->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
    return error(path + "." + key, "out of range " + range_text(lo, hi)), false;
  const auto v = j->get<std::int64_t>();
  if (v < lo || v > hi) return error(path + "." + key, "out of range " + range_text(lo, hi) + ", got " + std::to_string(v)), false;
  out = v;
  return true;
}

bool Reader::number(const json& obj, const char* key, const std::string& path, double& out, bool required) {
  const json* j = field(obj, key, path, required);
  if (!j) return false;
  if (!j->is_number()) return error(path + "." + key, "expected a number, got " + type_name(*j)), false;
  out = j->get<double>();
  if (!std::isfinite(out)) return error(path + "." + key, "expected a finite number"), false;
  return true;
}

bool Reader::duration(const json& obj, const char* key, const std::string& path, SimTimeUs lo, SimTimeUs hi, SimTimeUs& out,
                      bool required) {
  const json* j = field(obj, key, path, required);
  if (!j) return false;
  std::optional<SimTimeUs> v;
  if (j->is_number_integer() && !(j->is_number_unsigned() && j->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)))
    v = j->get<std::int64_t>();
  else if (j->is_string())
    v = parse_duration_us(j->get<std::string>());
  else
    return error(path + "." + key, "expected a duration like \"250ms\", got " + type_name(*j)), false;
  if (!v) return error(path + "." + key, "bad duration \"" + j->get<std::string>() + "\" (use us, ms, s, m or h, e.g. \"1.5s\")"), false;
  if (*v < lo || *v > hi)
    return error(path + "." + key,
                 "out of range [" + format_duration(lo) + ", " + format_duration(hi) + "], got " + format_duration(*v)),
           false;
  out = *v;
  return true;
}

bool Reader::probability_ppm(const json& obj, const char* key, const std::string& path, std::uint32_t& out) {
  const json* j = field(obj, key, path, false);
  if (!j) return false;
  if (!j->is_number()) return error(path + "." + key, "expected a probability in [0, 1], got " + type_name(*j)), false;
  const double p = j->get<double>();
  if (!(p >= 0.0 && p <= 1.0)) return error(path + "." + key, "out of range [0, 1], got " + j->dump()), false;
  out = static_cast<std::uint32_t>(p * 1e6 + 0.5);
  return true;
}

}  // namespace dsplay::json_reading
