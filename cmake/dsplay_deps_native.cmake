# Native dependencies, all from Debian packages (tools/setup.sh native): nlohmann_json, Catch2 v2,
# Dear ImGui 1.86 (libimgui-dev: a static lib that already holds the SDL2/OpenGL3 backends), SDL2,
# OpenGL. Each is wrapped in a dsplay_dep_* interface target; cmake/dsplay_deps_web.cmake defines
# the same names for the Emscripten build.
find_package(PkgConfig REQUIRED)
find_package(nlohmann_json 3 CONFIG REQUIRED)
find_package(Catch2 2 CONFIG REQUIRED)
list(APPEND CMAKE_MODULE_PATH ${Catch2_DIR})  # Catch.cmake (catch_discover_tests) lives there
pkg_check_modules(dsplay_imgui REQUIRED IMPORTED_TARGET imgui)
pkg_check_modules(dsplay_sdl2 REQUIRED IMPORTED_TARGET sdl2)
find_package(OpenGL REQUIRED)

add_library(dsplay_dep_json INTERFACE)
target_link_libraries(dsplay_dep_json INTERFACE nlohmann_json::nlohmann_json)

add_library(dsplay_dep_catch2 INTERFACE)
target_link_libraries(dsplay_dep_catch2 INTERFACE Catch2::Catch2)

# ImGui itself (what ui/ may use): no SDL, no GL.
add_library(dsplay_dep_imgui INTERFACE)
target_link_libraries(dsplay_dep_imgui INTERFACE PkgConfig::dsplay_imgui)

# The SDL2 + OpenGL3 backends and what they need (only the shells link this).
add_library(dsplay_dep_imgui_backends INTERFACE)
target_include_directories(dsplay_dep_imgui_backends SYSTEM INTERFACE /usr/include/imgui/backends)
target_link_libraries(dsplay_dep_imgui_backends INTERFACE PkgConfig::dsplay_imgui PkgConfig::dsplay_sdl2
  OpenGL::GL ${CMAKE_DL_LIBS})
