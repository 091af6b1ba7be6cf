# Emscripten dependencies, prepared once per machine by tools/setup.sh web in a per-user cache
# (default ~/.cache/dsplay): Dear ImGui 1.86 compiled here from Debian's source package, SDL2 2.26.5
# built for wasm, and header-only packages (nlohmann, catch2) seen through a folder of symlinks, so
# that /usr/include (glibc headers) never reaches the Emscripten sysroot. Also the link options of
# the browser app and of the node tools (CLI, tests).
if(DEFINED ENV{DSPLAY_CACHE})
  set(dsplay_cache_default $ENV{DSPLAY_CACHE})
elseif(DEFINED ENV{XDG_CACHE_HOME})
  set(dsplay_cache_default $ENV{XDG_CACHE_HOME}/dsplay)
else()
  set(dsplay_cache_default $ENV{HOME}/.cache/dsplay)
endif()
set(DSPLAY_CACHE ${dsplay_cache_default} CACHE PATH "Per-user cache of tools/setup.sh")
set(DSPLAY_IMGUI_SRC ${DSPLAY_CACHE}/src/imgui-1.86 CACHE PATH "Dear ImGui 1.86 source (Debian source package)")
set(DSPLAY_SDL2_WASM ${DSPLAY_CACHE}/sdl2-wasm-2.26.5 CACHE PATH "SDL2 built for wasm (install prefix)")
set(DSPLAY_WASM_INCLUDE ${DSPLAY_CACHE}/wasm-include CACHE PATH "Links to header-only packages for wasm")
foreach(need ${DSPLAY_IMGUI_SRC}/imgui.cpp ${DSPLAY_SDL2_WASM}/lib/libSDL2.a ${DSPLAY_WASM_INCLUDE}/nlohmann/json.hpp)
  if(NOT EXISTS ${need})
    message(FATAL_ERROR "Missing ${need}: run tools/setup.sh web (or all) first.")
  endif()
endforeach()

# emcc needs NODE_PATH for every link step, also when the build is started without it.
set(CMAKE_C_LINKER_LAUNCHER ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs)
set(CMAKE_CXX_LINKER_LAUNCHER ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs)

# C++ exceptions only where something catches them: the Catch2 tests and the CLI's safety net
# (see dsplay_node_tool_options). core/ and ui/ never throw or catch (JSON is parsed with
# allow_exceptions=false), and Emscripten's exception support costs the browser app about a
# fifth of its size (the web bundle must stay under 2 MB).
add_link_options(-sALLOW_MEMORY_GROWTH=1)

add_library(dsplay_dep_json INTERFACE)
target_include_directories(dsplay_dep_json SYSTEM INTERFACE ${DSPLAY_WASM_INCLUDE})
add_library(dsplay_dep_catch2 INTERFACE)
target_include_directories(dsplay_dep_catch2 SYSTEM INTERFACE ${DSPLAY_WASM_INCLUDE})

add_library(dsplay_dep_sdl2 STATIC IMPORTED)
set_target_properties(dsplay_dep_sdl2 PROPERTIES
  IMPORTED_LOCATION ${DSPLAY_SDL2_WASM}/lib/libSDL2.a
  INTERFACE_INCLUDE_DIRECTORIES "${DSPLAY_SDL2_WASM}/include/SDL2;${DSPLAY_SDL2_WASM}/include")

# ImGui core (what ui/ may use) and the SDL2 + OpenGL3 backends (only the shell links those).
add_library(dsplay_imgui STATIC
  ${DSPLAY_IMGUI_SRC}/imgui.cpp ${DSPLAY_IMGUI_SRC}/imgui_draw.cpp
  ${DSPLAY_IMGUI_SRC}/imgui_tables.cpp ${DSPLAY_IMGUI_SRC}/imgui_widgets.cpp)
target_include_directories(dsplay_imgui SYSTEM PUBLIC ${DSPLAY_IMGUI_SRC})
add_library(dsplay_imgui_backends STATIC
  ${DSPLAY_IMGUI_SRC}/backends/imgui_impl_sdl.cpp ${DSPLAY_IMGUI_SRC}/backends/imgui_impl_opengl3.cpp)
target_include_directories(dsplay_imgui_backends SYSTEM PUBLIC ${DSPLAY_IMGUI_SRC}/backends)
# WebGL2 is GL ES 3 (VAOs, "#version 300 es"); ImGui 1.86 would assume ES 2 on Emscripten.
target_compile_definitions(dsplay_imgui_backends PUBLIC IMGUI_IMPL_OPENGL_ES3)
target_link_libraries(dsplay_imgui_backends PUBLIC dsplay_imgui dsplay_dep_sdl2)
add_library(dsplay_dep_imgui INTERFACE)
target_link_libraries(dsplay_dep_imgui INTERFACE dsplay_imgui)
add_library(dsplay_dep_imgui_backends INTERFACE)
target_link_libraries(dsplay_dep_imgui_backends INTERFACE dsplay_imgui_backends)

# The browser app: WebGL2 only, our own HTML page (link to .js, never .html).
function(dsplay_web_app_options target)
  set_target_properties(${target} PROPERTIES SUFFIX ".js")
  target_link_options(${target} PRIVATE
    -sUSE_WEBGL2=1 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
    -sENVIRONMENT=web -sEXPORTED_FUNCTIONS=_main,_malloc,_free
    -sMALLOC=emmalloc -sFILESYSTEM=0)
endfunction()

# Command-line tools run by node (CLI, tests): real files through NODERAWFS, exit codes kept.
# Run them as `node --no-experimental-fetch X.js` (Emscripten 3.1.6 output vs Node 20's fetch).
function(dsplay_node_tool_options target)
  set_target_properties(${target} PROPERTIES SUFFIX ".js")
  target_compile_options(${target} PRIVATE -fexceptions)
  target_link_options(${target} PRIVATE -fexceptions -sNODERAWFS=1 -sENVIRONMENT=node -sEXIT_RUNTIME=1)
endfunction()
