# SPDX-License-Identifier: Apache-2.0
# The web layer's build piece, included from src/CMakeLists.txt after cartflow_layer(web): the
# pages in src/web/pages embedded at build time (URL=file pairs -> one generated .cpp).
if(TARGET cartflow_web)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  set(_pages ${CMAKE_CURRENT_LIST_DIR}/pages)
  set(_web_pairs
    /=${_pages}/index.html
    /console=${_pages}/console.html
    /static/style.css=${_pages}/style.css
    /static/shop.js=${_pages}/shop.js
    /static/console.js=${_pages}/console.js
    /static/charts.js=${_pages}/charts.js)
  set(_web_files)
  foreach(pair ${_web_pairs})
    string(REGEX REPLACE "^[^=]*=" "" file ${pair})
    list(APPEND _web_files ${file})
  endforeach()
  set(_web_cpp ${PROJECT_BINARY_DIR}/generated/web_assets_data.cpp)
  add_custom_command(
    OUTPUT ${_web_cpp}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/generated
    COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/embed_pages.py ${_web_cpp} ${_web_pairs}
    DEPENDS ${_web_files} ${CMAKE_CURRENT_LIST_DIR}/embed_pages.py
    COMMENT "Embedding the web pages"
    VERBATIM)
  target_sources(cartflow_web PRIVATE ${_web_cpp})
endif()
