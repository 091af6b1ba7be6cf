// The one Dear ImGui front end shared by the desktop (SDL2 + OpenGL 3) and browser (SDL2 +
// WebGL2) shells. The shells own the window, GL context, main loop and platform services; they
// call App::frame() between ImGui::NewFrame() and ImGui::Render(). Nothing here touches SDL/GL.
#pragma once
#include <memory>
#include <string>

namespace dsplay::ui {

// Services only a shell can provide. Defaults do nothing, so tests and benchmarks can pass a bare one.
class Platform {
 public:
  virtual ~Platform() = default;
  virtual const char* name() const { return "headless"; }  // "desktop", "web", "headless"
  // Offer `contents` to the user as a file: desktop writes it next to the settings, web downloads it.
  virtual void save_file(const std::string& /*suggested_name*/, const std::string& /*contents*/) {}
  // Persistent key/value settings: desktop a settings file, web localStorage.
  virtual std::string load_setting(const std::string& /*key*/) { return {}; }
  virtual void store_setting(const std::string& /*key*/, const std::string& /*value*/) {}
  // The URL fragment (web) used for share links; empty elsewhere.
  virtual std::string url_fragment() { return {}; }
  virtual void set_url_fragment(const std::string& /*fragment*/) {}
  // Asks the user for a file (web: the page's file picker); the file arrives later like a dropped
  // one. False when the shell has no picker (desktop: drop a file or pass it as an argument).
  virtual bool open_file_picker() { return false; }
};

struct AppOptions {
  std::string scenario_name;  // built-in scenario to open first ("" = the default one)
  std::string lesson_name;    // built-in lesson to open first (wins over scenario_name)
  float ui_scale = 1.0f;      // DPI scale the shell measured
  bool presentation = false;  // start the first lesson in presentation mode
};

class App {
 public:
  App(Platform& platform, AppOptions options);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Builds one UI frame and advances the simulation by wall_dt_s (clamped inside) x speed.
  void frame(double wall_dt_s);
  // Opens a file the user gave (argument, drag-and-drop, file picker, URL): a scenario, a lesson
  // or a share file, told apart by content. A bad file shows its error in the app; the running
  // scenario (or lesson) is kept.
  void open_scenario_text(const std::string& source_name, const std::string& json_text);
  bool quit_requested() const;
  // The running simulation's metrics as Prometheus text (what the desktop's /metrics serves):
  // the same families as `dsplay run --export-metrics`, for the run up to the current time.
  std::string metrics_text() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Loads the embedded UI font (DejaVu Sans, embedded at build time) at the given scale into the
// current ImGui context; falls back to ImGui's default font if the embedding is missing.
void load_fonts(float ui_scale);

}  // namespace dsplay::ui
